import { packageBuild } from '../../tooling/tsup.js';

export default packageBuild({ entry: ['src/index.ts', 'src/test.ts'] });

/**
 * The config editor: CodeMirror 6 with YAML or XML highlighting, chosen by the text (XML
 * starts with `<`), and the worker's check as lint diagnostics, each on the line its path
 * points at (locate.ts).
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { xml } from '@codemirror/lang-xml';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { lineOfPath } from './locate.js';
import type { Problem } from './protocol.js';

const isXml = (text: string): boolean => text.replace(/^\uFEFF/, '').trimStart().startsWith('<');

interface ConfigEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Shows the check's problems at their lines (errors, then warnings). */
  showProblems(errors: readonly Problem[], warnings: readonly Problem[]): void;
}

export function createEditor(parent: HTMLElement, initial: string, onChange: (text: string) => void): ConfigEditor {
  const language = new Compartment();
  let xmlMode = isXml(initial);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        lintGutter(),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        language.of(xmlMode ? xml() : yaml()),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const text = update.state.doc.toString();
          if (isXml(text) !== xmlMode) {
            xmlMode = !xmlMode;
            view.dispatch({ effects: language.reconfigure(xmlMode ? xml() : yaml()) });
          }
          onChange(text);
        }),
      ],
    }),
  });

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    showProblems(errors, warnings) {
      const text = view.state.doc.toString();
      const doc = view.state.doc;
      const diagnostic = (problem: Problem, severity: Diagnostic['severity']): Diagnostic => {
        const line = doc.line(Math.min(lineOfPath(text, problem.path), doc.lines));
        // From the first non-blank character: the line is what is marked.
        const indent = line.text.length - line.text.trimStart().length;
        return { from: line.from + indent, to: line.to, severity, message: `${problem.path}: ${problem.message}`, source: severity === 'error' ? 'paravirt check' : 'warning' };
      };
      view.dispatch(setDiagnostics(view.state, [...errors.map((error) => diagnostic(error, 'error')), ...warnings.map((warning) => diagnostic(warning, 'warning'))]));
    },
  };
}

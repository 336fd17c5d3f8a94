/**
 * rtems_printer (rtems/printer.h) in JS: where a report goes. RTEMS's printer is a
 * vprintf-like routine with a context (rtems_print_printer_printk, _printf, _fprintf, a
 * task printer); here it is a function that receives each piece of the report as text,
 * already formatted. A printer is guest code, called synchronously by the directive that
 * reports (rateMonotonicReportStatisticsWithPlugin); its return value is ignored.
 */
export type RtemsPrinter = (text: string) => unknown;

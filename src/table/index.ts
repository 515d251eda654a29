export { isMissingCell, parseNumericCell, typeColumn } from './column-typing.ts';
export { createTable, parseCsv, type Table } from './csv.ts';
export { formatCsvCell, unguardCsvText } from './csv-cell.ts';
export { TableError, type TableProblem } from './errors.ts';

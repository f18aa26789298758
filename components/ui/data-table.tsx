import clsx from "clsx";
import { Fragment, type ReactNode } from "react";

const DENSITIES = {
  /** A table inside a panel, beside other content: extra-small text, no side padding. */
  compact: {
    table: "w-full text-left text-xs",
    head: "text-slate-500",
    th: "py-1 pr-2 font-medium",
    td: "py-1 pr-2",
  },
  /** A list that is the point of its section. */
  regular: {
    table: "w-full text-left text-sm",
    head: "bg-slate-50 text-xs text-slate-600",
    th: "px-2 py-1.5",
    td: "px-2 py-1.5",
  },
} as const;

export type Density = keyof typeof DENSITIES;

export interface Column<Row> {
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Right-aligned with tabular figures, header included. */
  numeric?: boolean;
  /** Classes of the header and every cell of the column. */
  className?: string;
  /** Classes of the body cells only, or of one row's cell. */
  cellClassName?: string | ((row: Row) => string | false | undefined);
}

export interface DataTableProps<Row> {
  /** The table's accessible name. */
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  density?: Density;
  /** Classes of every body row (beside its top border). */
  rowClassName?: string;
  /** `data-*` attributes of a body row. */
  rowData?: (row: Row) => Record<`data-${string}`, string>;
  /** Rendered after a row's own `<tr>`: a row of details, or nothing. */
  after?: (row: Row) => ReactNode;
}

/** The column classes of a header (`row` undefined) or body cell. */
export function cellClasses<Row>(column: Column<Row>, density: Density, row?: { value: Row }): string {
  const own =
    row === undefined
      ? undefined
      : typeof column.cellClassName === "function"
        ? column.cellClassName(row.value)
        : column.cellClassName;
  return clsx(
    row === undefined ? DENSITIES[density].th : DENSITIES[density].td,
    column.numeric && "text-right tabular-nums",
    column.className,
    own,
  );
}

/** A plain table: one header row of column titles, then one row per item. */
export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  density = "compact",
  rowClassName,
  rowData,
  after,
}: DataTableProps<Row>) {
  const d = DENSITIES[density];
  return (
    <table className={d.table} aria-label={label}>
      <thead className={d.head}>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" className={cellClasses(c, density)}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <Fragment key={rowKey(row)}>
            <tr className={clsx("border-t border-slate-100", rowClassName)} {...rowData?.(row)}>
              {columns.map((c, i) => (
                <td key={i} className={cellClasses(c, density, { value: row })}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
            {after?.(row)}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

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

/** A leading column of checkboxes, keyed by `rowKey`. */
export interface RowSelection<Row> {
  selected: ReadonlySet<string>;
  /** The new selection: never a key of a row no longer listed. */
  onChange: (selected: ReadonlySet<string>) => void;
  /** The accessible name of the header's select-all checkbox. */
  allLabel: string;
  /** The accessible name of a row's checkbox. */
  rowLabel: (row: Row) => string;
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
  /** Opt-in: a checkbox before every row and one in the header that selects them all. */
  selection?: RowSelection<Row>;
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

/** The checkbox column of a selection over `rows`. */
export function selectionColumn<Row>(
  { selected, onChange, allLabel, rowLabel }: RowSelection<Row>,
  rows: readonly Row[],
  rowKey: (row: Row) => string,
): Column<Row> {
  const keys = rows.map(rowKey);
  const all = keys.length > 0 && keys.every((k) => selected.has(k));
  const toggle = (key: string) => {
    const next = new Set(keys.filter((k) => selected.has(k)));
    if (next.has(key)) next.delete(key);
    else next.add(key);
    onChange(next);
  };
  return {
    className: "w-8",
    header: (
      <input
        type="checkbox"
        aria-label={allLabel}
        checked={all}
        onChange={() => onChange(all ? new Set() : new Set(keys))}
      />
    ),
    cell: (row) => (
      <input
        type="checkbox"
        aria-label={rowLabel(row)}
        checked={selected.has(rowKey(row))}
        onChange={() => toggle(rowKey(row))}
      />
    ),
  };
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
  selection,
}: DataTableProps<Row>) {
  const d = DENSITIES[density];
  const shown = selection ? [selectionColumn(selection, rows, rowKey), ...columns] : columns;
  return (
    <table className={d.table} aria-label={label}>
      <thead className={d.head}>
        <tr>
          {shown.map((c, i) => (
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
              {shown.map((c, i) => (
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

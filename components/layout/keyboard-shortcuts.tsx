"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useModalDialog } from "@/components/ui/use-modal-dialog";

export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: "/", does: "Focus the filter (or search) of the page" },
  { keys: "j", does: "Next row of the table" },
  { keys: "k", does: "Previous row of the table" },
  { keys: "Enter", does: "Open the focused row (its link, or expand it)" },
  { keys: "?", does: "Show this list" },
  { keys: "Esc", does: "Close a dialog" },
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** Body rows of the page's tables, in document order, visible ones only. */
function tableRows(): HTMLTableRowElement[] {
  return [...document.querySelectorAll<HTMLTableRowElement>("main table tbody tr")].filter(
    (r) => r.offsetParent !== null,
  );
}

/** What names a row across re-renders: its link, else its text. */
function rowIdentity(row: HTMLTableRowElement): string {
  return row.querySelector("a[href]")?.getAttribute("href") ?? row.textContent ?? "";
}

function focusRow(row: HTMLTableRowElement) {
  row.tabIndex = -1;
  row.dataset.keyboardRow = "";
  row.focus();
  row.scrollIntoView({ block: "nearest" });
}

function moveRow(step: 1 | -1) {
  const rows = tableRows();
  if (rows.length === 0) return;
  const current = document.activeElement instanceof HTMLTableRowElement ? rows.indexOf(document.activeElement) : -1;
  const next =
    rows[current === -1 ? (step === 1 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, current + step))];
  if (!next) return;
  focusRow(next);
}

/**
 * A refetch may replace the focused row's element (the overview rebuilds its rows): focus then
 * falls to the body. Put it back on the row that shows the same thing, so j/k and Enter go on.
 */
function keepRowFocus(): () => void {
  let focused: { row: HTMLTableRowElement; id: string } | null = null;
  const onFocus = (e: FocusEvent) => {
    focused = e.target instanceof HTMLTableRowElement ? { row: e.target, id: rowIdentity(e.target) } : null;
  };
  const observer = new MutationObserver(() => {
    if (!focused || focused.row.isConnected) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const again = tableRows().find((r) => rowIdentity(r) === focused!.id);
    if (again) focusRow(again);
    else focused = null;
  });
  document.addEventListener("focusin", onFocus);
  observer.observe(document.body, { childList: true, subtree: true });
  return () => {
    document.removeEventListener("focusin", onFocus);
    observer.disconnect();
  };
}

function openRow(row: HTMLTableRowElement) {
  const target = row.querySelector<HTMLElement>("a[href]") ?? row.querySelector<HTMLElement>("button[aria-expanded]");
  target?.click();
}

/** Page-wide keys: `/` filter, `j`/`k` rows, `Enter` open, `?` this list. */
export function KeyboardShortcuts() {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      if (e.key === "/") {
        const filter =
          document.querySelector<HTMLInputElement>("main [data-shortcut=filter]") ??
          document.querySelector<HTMLInputElement>("main input:not([type=hidden]):not([type=checkbox])");
        if (!filter) return;
        e.preventDefault();
        filter.focus();
        filter.select();
      } else if (e.key === "j" || e.key === "k") {
        e.preventDefault();
        moveRow(e.key === "j" ? 1 : -1);
      } else if (e.key === "Enter" && e.target instanceof HTMLTableRowElement) {
        e.preventDefault();
        openRow(e.target);
      } else if (e.key === "?") {
        e.preventDefault();
        setOpen(true);
      }
    }
    document.addEventListener("keydown", onKey);
    const stopKeeping = keepRowFocus();
    return () => {
      document.removeEventListener("keydown", onKey);
      stopKeeping();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="shortcuts-title"
      onClose={() => setOpen(false)}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      {open ? (
        <div className="space-y-4 p-5">
          <h2 id="shortcuts-title" className="text-lg font-semibold">
            Keyboard shortcuts
          </h2>
          <table className="w-full text-sm" aria-label="Keyboard shortcuts">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys} className="border-t border-slate-100">
                  <th scope="row" className="w-20 py-1.5 text-left">
                    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">
                      {s.keys}
                    </kbd>
                  </th>
                  <td className="py-1.5">{s.does}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex justify-end">
            <Button onClick={() => setOpen(false)}>Close</Button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}

import { isTruncated, type ListFieldPair } from "@/lib/contract/common";
import { TruncatedValueView } from "@/components/stream/truncated-value";
import { BinaryValue } from "@/components/stream/binary-value";
import { viewValue } from "./field-value";

/** A message's fields in their order (repeated names kept); values as text, never as HTML. */
export function MessageFields({
  fields,
  fieldsOmitted,
  streamKey,
  entryId,
}: {
  fields: readonly ListFieldPair[];
  fieldsOmitted?: number;
  streamKey?: string;
  entryId?: string;
}) {
  if (fields.length === 0) return <p className="text-xs text-slate-500">No fields.</p>;
  return (
    <dl className="grid grid-cols-[minmax(6rem,max-content)_1fr] gap-x-4 gap-y-1 text-xs">
      {fields.map(([name, value], i) => {
        if (isTruncated(value)) {
          return (
            <div key={i} className="contents">
              <dt className="break-all font-mono font-medium text-slate-700">
                {typeof name === "string" ? name : <BinaryValue value={name} expanded={false} />}
              </dt>
              <dd className="min-w-0 font-mono">
                <TruncatedValueView
                  value={value}
                  source={streamKey && entryId ? { streamKey, entryId, index: i } : undefined}
                />
              </dd>
            </div>
          );
        }
        const view = viewValue(value);
        return (
          <div key={i} className="contents">
            <dt className="break-all font-mono font-medium text-slate-700">
              {typeof name === "string" ? name : <BinaryValue value={name} expanded={false} />}
            </dt>
            <dd className="min-w-0">
              {view.kind === "binary" ? (
                <BinaryValue value={view} expanded fileName={entryId ? `${entryId}-field-${i + 1}.bin` : undefined} />
              ) : view.kind === "json" ? (
                <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-1 font-mono">
                  {view.text}
                </pre>
              ) : (
                <span className="whitespace-pre-wrap break-all font-mono">
                  {view.text === "" ? <em className="text-slate-400">(empty)</em> : view.text}
                </span>
              )}
            </dd>
          </div>
        );
      })}
      {fieldsOmitted ? <p className="col-span-2 text-slate-500">{fieldsOmitted} more fields not listed</p> : null}
    </dl>
  );
}

"use client";
import { Can } from "@/components/auth/can";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { EditableSection, SettingSource, SettingsUpdate } from "@/lib/contract/settings";
import { useSaveSettings } from "@/lib/hooks/use-settings";
import { SourceBadge } from "./source-badge";

interface Props {
  section: EditableSection;
  title: string;
  source: SettingSource;
  /** The section's JSON as it will be saved. */
  value: () => unknown;
  dirty: boolean;
  onSaved: () => void;
  children: ReactNode;
}

/** A settings section: its editor, where it comes from, Save (confirmed) and Reset to file values. */
export function SectionCard({ section, title, source, value, dirty, onSaved, children }: Props) {
  const save = useSaveSettings();
  const [confirm, setConfirm] = useState<null | "save" | "reset">(null);
  const submit = (update: SettingsUpdate, done: string) =>
    save.mutate(update, {
      onSuccess: () => {
        toast.success(done);
        setConfirm(null);
        onSaved();
      },
      onError: (err) => {
        toast.error(err.message);
        setConfirm(null);
      },
    });
  return (
    <section
      aria-labelledby={`${section}-heading`}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={`${section}-heading`} className="text-lg font-semibold">
          {title}
        </h2>
        <SourceBadge source={source} />
        <Can permission="admin" everyStream>
          <div className="ml-auto flex gap-2">
            <Button
              onClick={() => setConfirm("reset")}
              disabled={source !== "saved"}
              title={source !== "saved" ? "Nothing saved for this section" : undefined}
            >
              Reset {title.toLowerCase()} to file values
            </Button>
            <Button variant="primary" onClick={() => setConfirm("save")} disabled={!dirty}>
              Save {title.toLowerCase()}
            </Button>
          </div>
        </Can>
      </div>
      {children}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "reset" ? `Reset ${title.toLowerCase()}?` : `Save ${title.toLowerCase()}?`}
        confirmLabel={confirm === "reset" ? `Reset ${title.toLowerCase()}` : `Save ${title.toLowerCase()}`}
        destructive={confirm === "reset"}
        busy={save.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          confirm === "reset"
            ? submit({ reset: [section] }, `${title} reset to the config file's values`)
            : submit({ set: { [section]: value() } }, `${title} saved`)
        }
      >
        {confirm === "reset" ? (
          <p>
            The saved edit of this section is dropped; the config file&apos;s values (or the defaults) apply again on
            the next tick.
          </p>
        ) : (
          <p>
            The saved edit replaces this whole section for every Streamscope instance using this Redis, from the next
            tick on.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

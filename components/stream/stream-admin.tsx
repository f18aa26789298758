"use client";
import { Can } from "@/components/auth/can";
import { CreateGroupForm } from "@/components/group/create-group-form";
import { PublishMessageForm } from "@/components/group/publish-message-form";

/** Stream-level admin on the stream page: create a group, publish a test message. */
export function StreamAdmin({ streamKey }: { streamKey: string }) {
  return (
    <Can permission="operate">
      <details className="rounded border border-slate-200 bg-white p-3 text-sm">
        <summary className="cursor-pointer font-medium">Create a group or publish a message</summary>
        <div className="mt-3 grid gap-4 md:grid-cols-2">
          <CreateGroupForm streamKey={streamKey} />
          <PublishMessageForm streamKey={streamKey} />
        </div>
      </details>
    </Can>
  );
}

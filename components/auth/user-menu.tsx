"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { authClient } from "@/lib/client/auth";
import { useMe } from "@/lib/hooks/use-me";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";

/** Who is logged in, with what role, and "Log out". */
export function UserMenu() {
  const { data } = useMe();
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  if (!data) return null;
  return (
    <div role="group" className="ml-auto flex items-center gap-2 text-sm text-slate-700" aria-label="Current user">
      {data.readOnly ? <Badge tone="warn">read-only</Badge> : null}
      <span>
        <span className="font-medium">{data.user}</span> <Badge tone="info">{data.role}</Badge>
      </span>
      {data.localMode ? null : (
        <Button
          size="sm"
          variant="ghost"
          loading={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await authClient.logout();
              queryClient.clear();
              router.replace("/login");
              router.refresh();
            } catch (err) {
              setBusy(false);
              toast.error(`Log out failed: ${(err as Error).message}`);
            }
          }}
        >
          Log out
        </Button>
      )}
    </div>
  );
}

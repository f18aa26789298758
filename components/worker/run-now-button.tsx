"use client";
import { toast } from "sonner";
import { Can } from "@/components/auth/can";
import { Button } from "@/components/ui/button";
import { useRunWorker } from "@/lib/hooks/use-worker";
import { tickToastText } from "./tick-summary";

export function RunNowButton() {
  const run = useRunWorker();
  return (
    <Can permission="operate" everyStream>
      <Button
        variant="primary"
        loading={run.isPending}
        onClick={() =>
          run.mutate(undefined, {
            onSuccess: (tick) =>
              tick.status === "error" ? toast.error(tickToastText(tick)) : toast.success(tickToastText(tick)),
            onError: (err) => toast.error(`Tick not run: ${err.message}`),
          })
        }
      >
        Run now
      </Button>
    </Can>
  );
}

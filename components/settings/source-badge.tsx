import { Badge } from "@/components/ui/badge";
import type { SettingSource } from "@/lib/contract/settings";

const LABEL: Record<SettingSource, string> = { default: "default", file: "config file", saved: "saved edit" };
const TONE = { default: "neutral", file: "info", saved: "warn" } as const;

export function SourceBadge({ source }: { source: SettingSource }) {
  return (
    <Badge tone={TONE[source]} title={`This value comes from: ${LABEL[source]}`}>
      {LABEL[source]}
    </Badge>
  );
}

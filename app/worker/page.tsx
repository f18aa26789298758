import type { Metadata } from "next";
import { WorkerView } from "@/components/worker/worker-view";

export const metadata: Metadata = { title: "Worker" };

export default function WorkerPage() {
  return <WorkerView />;
}

import type { ClusterResponse } from "@/lib/contract/cluster";
import { apiFetch } from "./fetcher";

export const clusterClient = {
  /** `GET /api/cluster`: every node with its slots, load and hottest streams (one node on a single server). */
  overview: () => apiFetch<ClusterResponse>("/api/cluster"),
};

"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { evaluateAlertsNow, fetchAlerts, silenceAlert } from "@/lib/client/alerts";
import { queryKeys } from "@/lib/client/query-keys";

export const ALERTS_REFRESH_MS = 5000;

/** Every alert (firing and recently resolved), refreshed every 5 s: the alerts page. */
export function useAlerts() {
  return useQuery({ queryKey: queryKeys.alerts.list, queryFn: () => fetchAlerts(), refetchInterval: ALERTS_REFRESH_MS });
}

/** Firing alerts only, refreshed every 5 s: the banner on every page. */
export function useFiringAlerts() {
  return useQuery({ queryKey: queryKeys.alerts.firing, queryFn: () => fetchAlerts("firing"), refetchInterval: ALERTS_REFRESH_MS });
}

export function useSilenceAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, forMs }: { id: string; forMs: number }) => silenceAlert(id, forMs),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.alerts.all }),
  });
}

export function useEvaluateAlerts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: evaluateAlertsNow,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.alerts.all }),
  });
}

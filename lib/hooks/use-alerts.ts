"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { alertsClient } from "@/lib/client/alerts";
import { queryKeys } from "@/lib/client/query-keys";

export const ALERTS_REFRESH_MS = 5000;

/** Every alert (firing and recently resolved), refreshed every 5 s: the alerts page. */
export function useAlerts() {
  return useQuery({
    queryKey: queryKeys.alerts.list,
    queryFn: () => alertsClient.list(),
    refetchInterval: ALERTS_REFRESH_MS,
  });
}

/** Firing alerts only, refreshed every 5 s: the banner on every page. */
export function useFiringAlerts() {
  return useQuery({
    queryKey: queryKeys.alerts.firing,
    queryFn: () => alertsClient.list("firing"),
    refetchInterval: ALERTS_REFRESH_MS,
  });
}

export function useSilenceAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, forMs }: { id: string; forMs: number }) => alertsClient.silence(id, forMs),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.alerts.all }),
  });
}

export function useEvaluateAlerts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: alertsClient.evaluate,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.alerts.all }),
  });
}

"use client";
import { isServer, MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Toaster } from "sonner";
import type { ReactNode } from "react";
import { ApiError } from "@/lib/client/fetcher";
import { loginUrlFor } from "@/lib/client/login-redirect";

let redirecting = false;

/** A 401 means the session ended (expired or logged out elsewhere): log in again, then come back here. */
function onApiError(error: unknown) {
  if (!(error instanceof ApiError) || error.status !== 401 || redirecting) return;
  const target = loginUrlFor(window.location);
  if (target === null) return;
  redirecting = true;
  window.location.assign(target);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onApiError }),
    mutationCache: new MutationCache({ onError: onApiError }),
    defaultOptions: {
      queries: {
        staleTime: 2000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 1,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

function getQueryClient() {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const client = getQueryClient();
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster position="bottom-right" richColors closeButton />
    </QueryClientProvider>
  );
}

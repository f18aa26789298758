"use client";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/client/auth";
import { Button } from "@/components/ui/button";

export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await authClient.login({
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      // A full navigation, so that the proxy sees the new session cookie.
      window.location.assign(next);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Log in with a password">
      <div className="space-y-1">
        <label htmlFor="login-username" className="block text-sm font-medium">
          Username
        </label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          required
          className="w-full rounded border border-slate-300 px-2 py-1.5"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="login-password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="w-full rounded border border-slate-300 px-2 py-1.5"
        />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" loading={busy}>
        Log in
      </Button>
    </form>
  );
}

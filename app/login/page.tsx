import type { Metadata } from "next";
import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { loginMethods } from "@/lib/auth/mode";
import { safeNextPath } from "@/lib/auth/next-path";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const methods = await loginMethods();
  const next = safeNextPath((await searchParams).next);
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <h1 className="text-2xl font-semibold">Log in</h1>
      {!methods.enabled ? (
        <p className="text-sm text-slate-700">
          No login is configured: Streamscope runs in local mode.{" "}
          <Link href="/" className="underline">
            Go to the overview
          </Link>
          .
        </p>
      ) : null}
      {methods.password ? <LoginForm next={next} /> : null}
      {methods.oidc ? (
        <a
          href={`/api/auth/oidc/login?next=${encodeURIComponent(next)}`}
          className="block rounded border border-slate-300 bg-white px-3 py-2 text-center text-sm font-medium hover:bg-slate-100"
        >
          Log in with single sign-on
        </a>
      ) : null}
    </div>
  );
}

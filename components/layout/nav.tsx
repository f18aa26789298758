import Link from "next/link";
import { UserMenu } from "@/components/auth/user-menu";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/cluster", label: "Cluster" },
  { href: "/alerts", label: "Alerts" },
  { href: "/worker", label: "Worker" },
  { href: "/settings", label: "Settings" },
  { href: "/audit", label: "Audit" },
];

export function Nav() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-screen-2xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-semibold text-slate-900">
          Streamscope
        </Link>
        <ul className="flex gap-4 text-sm">
          {LINKS.map((l) => (
            <li key={l.href}>
              <Link href={l.href} className="text-slate-600 hover:text-slate-900">
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
        <UserMenu />
      </nav>
    </header>
  );
}

import Link from "next/link";

export default function GroupNotFound() {
  return (
    <div className="space-y-2 rounded border border-slate-200 bg-white p-6">
      <h1 className="text-xl font-semibold">Group not found</h1>
      <p className="text-sm text-slate-600">
        The stream or its consumer group does not exist (any more). It may have been deleted, or the stream expired and
        took its groups with it.
      </p>
      <Link href="/" className="text-sm text-blue-700 hover:underline">
        Back to the streams
      </Link>
    </div>
  );
}

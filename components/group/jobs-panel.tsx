"use client";
import { JobProgress } from "@/components/actions/job-progress";
import { useGroupJobs } from "@/lib/hooks/use-jobs";
import { meAllows, useMe } from "@/lib/hooks/use-me";

/** The group's running and recent bulk jobs, whoever started them (every operator sees them). */
export function JobsPanel({ streamKey, group }: { streamKey: string; group: string }) {
  const { data } = useGroupJobs(streamKey, group);
  const { data: me } = useMe();
  const canOperate = meAllows(me, "operate");
  const jobs = data?.jobs ?? [];
  if (jobs.length === 0) return null;
  return (
    <section aria-labelledby="jobs-panel-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="jobs-panel-title" className="font-semibold">
        Running and recent bulk jobs
      </h2>
      <ul className="space-y-4">
        {jobs.map((job) => (
          <li key={job.id}>
            <JobProgress job={job} canCancel={canOperate} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The browser client and the route handlers answer the same contract types. Checked by the
 * compiler (`npx tsc --noEmit` reads this file): a handler that changes its answer type without
 * the client, or the other way round, fails to compile here.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { AnswerOf } from "@/lib/http/route";
import type { DryRunResponse } from "@/lib/contract/pending";
import { alertsClient } from "@/lib/client/alerts";
import { auditClient } from "@/lib/client/audit";
import { authClient } from "@/lib/client/auth";
import { clusterClient } from "@/lib/client/cluster";
import { entriesClient } from "@/lib/client/entries";
import { historyClient } from "@/lib/client/history";
import { pendingClient } from "@/lib/client/pending";
import { settingsClient } from "@/lib/client/settings";
import { streamsClient } from "@/lib/client/streams";
import { workerClient } from "@/lib/client/worker";
import { jobsClient } from "@/lib/client/jobs";
import type { JobResponse } from "@/lib/contract/jobs";
import type * as groupJobs from "@/app/api/streams/[key]/groups/[group]/jobs/route";
import type * as job from "@/app/api/jobs/[id]/route";
import type * as jobCancel from "@/app/api/jobs/[id]/cancel/route";
import type * as alerts from "@/app/api/alerts/route";
import type * as silence from "@/app/api/alerts/[id]/silence/route";
import type * as evaluate from "@/app/api/alerts/evaluate/route";
import type * as audit from "@/app/api/audit/route";
import type * as me from "@/app/api/auth/me/route";
import type * as login from "@/app/api/auth/login/route";
import type * as logout from "@/app/api/auth/logout/route";
import type * as entries from "@/app/api/streams/[key]/entries/route";
import type * as entry from "@/app/api/streams/[key]/entries/[id]/route";
import type * as search from "@/app/api/streams/[key]/search/route";
import type * as streamHistory from "@/app/api/streams/[key]/history/route";
import type * as groupHistory from "@/app/api/streams/[key]/groups/[group]/history/route";
import type * as pendingProfile from "@/app/api/streams/[key]/groups/[group]/pending-profile/route";
import type * as rates from "@/app/api/history/rates/route";
import type * as group from "@/app/api/streams/[key]/groups/[group]/route";
import type * as groups from "@/app/api/streams/[key]/groups/route";
import type * as pending from "@/app/api/streams/[key]/groups/[group]/pending/route";
import type * as idleHistogram from "@/app/api/streams/[key]/groups/[group]/idle-histogram/route";
import type * as ack from "@/app/api/streams/[key]/groups/[group]/ack/route";
import type * as claim from "@/app/api/streams/[key]/groups/[group]/claim/route";
import type * as requeue from "@/app/api/streams/[key]/groups/[group]/requeue/route";
import type * as deadLetter from "@/app/api/streams/[key]/groups/[group]/dead-letter/route";
import type * as del from "@/app/api/streams/[key]/groups/[group]/delete/route";
import type * as setid from "@/app/api/streams/[key]/groups/[group]/setid/route";
import type * as consumer from "@/app/api/streams/[key]/groups/[group]/consumers/[consumer]/route";
import type * as redrive from "@/app/api/streams/[key]/redrive/route";
import type * as messages from "@/app/api/streams/[key]/messages/route";
import type * as settings from "@/app/api/settings/route";
import type * as stream from "@/app/api/streams/[key]/route";
import type * as streams from "@/app/api/streams/route";
import type * as overview from "@/app/api/overview/route";
import type * as clusterRoute from "@/app/api/cluster/route";
import type * as worker from "@/app/api/worker/route";
import type * as trimPreview from "@/app/api/streams/[key]/trim-preview/route";
import type * as trim from "@/app/api/streams/[key]/trim/route";
import type * as deliveries from "@/app/api/streams/[key]/groups/[group]/deliveries/route";
import type * as reap from "@/app/api/streams/[key]/groups/[group]/reap/route";
import { trimClient } from "@/lib/client/trim";

type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
/** A message action answers a dry run too; the client asks for one through `preview`. */
type Done<R> = Exclude<AnswerOf<R>, DryRunResponse>;

describe("client and routes share the contract", () => {
  it("each client function resolves to its route's answer type", () => {
    expectTypeOf<Answer<typeof alertsClient.list>>().toEqualTypeOf<AnswerOf<typeof alerts.GET>>();
    expectTypeOf<Answer<typeof alertsClient.silence>>().toEqualTypeOf<AnswerOf<typeof silence.POST>>();
    expectTypeOf<Answer<typeof alertsClient.evaluate>>().toEqualTypeOf<AnswerOf<typeof evaluate.POST>>();
    expectTypeOf<Answer<typeof auditClient.list>>().toEqualTypeOf<AnswerOf<typeof audit.GET>>();
    expectTypeOf<Answer<typeof authClient.me>>().toEqualTypeOf<AnswerOf<typeof me.GET>>();
    expectTypeOf<Answer<typeof authClient.login>>().toEqualTypeOf<AnswerOf<typeof login.POST>>();
    expectTypeOf<Answer<typeof authClient.logout>>().toEqualTypeOf<AnswerOf<typeof logout.POST>>();
    expectTypeOf<Answer<typeof entriesClient.page>>().toEqualTypeOf<AnswerOf<typeof entries.GET>>();
    expectTypeOf<Answer<typeof entriesClient.one>>().toEqualTypeOf<AnswerOf<typeof entry.GET>>();
    expectTypeOf<Answer<typeof entriesClient.search>>().toEqualTypeOf<AnswerOf<typeof search.GET>>();
    expectTypeOf<Answer<typeof historyClient.stream>>().toEqualTypeOf<AnswerOf<typeof streamHistory.GET>>();
    expectTypeOf<Answer<typeof historyClient.group>>().toEqualTypeOf<AnswerOf<typeof groupHistory.GET>>();
    expectTypeOf<Answer<typeof historyClient.pendingProfile>>().toEqualTypeOf<AnswerOf<typeof pendingProfile.GET>>();
    expectTypeOf<Answer<typeof historyClient.rates>>().toEqualTypeOf<AnswerOf<typeof rates.GET>>();
    expectTypeOf<Answer<typeof pendingClient.group>>().toEqualTypeOf<AnswerOf<typeof group.GET>>();
    expectTypeOf<Answer<typeof pendingClient.deleteGroup>>().toEqualTypeOf<AnswerOf<typeof group.DELETE>>();
    expectTypeOf<Answer<typeof pendingClient.createGroup>>().toEqualTypeOf<AnswerOf<typeof groups.POST>>();
    expectTypeOf<Answer<typeof pendingClient.page>>().toEqualTypeOf<AnswerOf<typeof pending.GET>>();
    expectTypeOf<Answer<typeof pendingClient.idleHistogram>>().toEqualTypeOf<AnswerOf<typeof idleHistogram.GET>>();
    expectTypeOf<Answer<typeof pendingClient.ack>>().toEqualTypeOf<Done<typeof ack.POST>>();
    expectTypeOf<Answer<typeof pendingClient.claim>>().toEqualTypeOf<Done<typeof claim.POST>>();
    expectTypeOf<Answer<typeof pendingClient.requeue>>().toEqualTypeOf<Done<typeof requeue.POST>>();
    expectTypeOf<Answer<typeof pendingClient.deadLetter>>().toEqualTypeOf<Done<typeof deadLetter.POST>>();
    expectTypeOf<Answer<typeof pendingClient.delete>>().toEqualTypeOf<Done<typeof del.POST>>();
    expectTypeOf<Answer<typeof pendingClient.redrive>>().toEqualTypeOf<Done<typeof redrive.POST>>();
    expectTypeOf<Answer<typeof pendingClient.preview>>().toEqualTypeOf<DryRunResponse>();
    expectTypeOf<Answer<typeof pendingClient.previewRedrive>>().toEqualTypeOf<DryRunResponse>();
    expectTypeOf<Answer<typeof pendingClient.setGroupId>>().toEqualTypeOf<AnswerOf<typeof setid.POST>>();
    expectTypeOf<Answer<typeof pendingClient.deleteConsumer>>().toEqualTypeOf<AnswerOf<typeof consumer.DELETE>>();
    expectTypeOf<Answer<typeof pendingClient.publish>>().toEqualTypeOf<AnswerOf<typeof messages.POST>>();
    expectTypeOf<Answer<typeof settingsClient.get>>().toEqualTypeOf<AnswerOf<typeof settings.GET>>();
    expectTypeOf<Answer<typeof settingsClient.save>>().toEqualTypeOf<AnswerOf<typeof settings.PUT>>();
    expectTypeOf<Answer<typeof streamsClient.detail>>().toEqualTypeOf<AnswerOf<typeof stream.GET>>();
    expectTypeOf<Answer<typeof streamsClient.page>>().toEqualTypeOf<AnswerOf<typeof streams.GET>>();
    expectTypeOf<Answer<typeof streamsClient.summary>>().toEqualTypeOf<AnswerOf<typeof overview.GET>>();
    expectTypeOf<Answer<typeof clusterClient.overview>>().toEqualTypeOf<AnswerOf<typeof clusterRoute.GET>>();
    expectTypeOf<Answer<typeof workerClient.status>>().toEqualTypeOf<AnswerOf<typeof worker.GET>>();
    expectTypeOf<Answer<typeof workerClient.runTick>>().toEqualTypeOf<AnswerOf<typeof worker.POST>>();
    expectTypeOf<Answer<typeof pendingClient.reap>>().toEqualTypeOf<AnswerOf<typeof reap.POST>>();
    expectTypeOf<Answer<typeof pendingClient.deliveries>>().toEqualTypeOf<AnswerOf<typeof deliveries.GET>>();
    expectTypeOf<Answer<typeof trimClient.preview>>().toEqualTypeOf<AnswerOf<typeof trimPreview.GET>>();
    expectTypeOf<Answer<typeof trimClient.trim>>().toEqualTypeOf<AnswerOf<typeof trim.POST>>();
    expectTypeOf<Answer<typeof jobsClient.list>>().toEqualTypeOf<AnswerOf<typeof groupJobs.GET>>();
    expectTypeOf<Answer<typeof jobsClient.get>>().toEqualTypeOf<AnswerOf<typeof job.GET>>();
    expectTypeOf<Answer<typeof jobsClient.cancel>>().toEqualTypeOf<AnswerOf<typeof jobCancel.POST>>();
    // An action with `background: true` answers 202 {job} instead of its synchronous answer.
    expectTypeOf<Answer<typeof jobsClient.start>>().toEqualTypeOf<JobResponse>();
  });
});

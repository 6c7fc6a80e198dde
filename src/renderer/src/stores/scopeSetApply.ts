// Applying a scope set to many applications of the current organisation: the preview, the run in main followed through
// the applyProgress events main pushes (progress, per-application results, conflicts), Stop, and the pending changes
// saved offline.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { ApplyMode, ApplyStatus, PendingChange, ScopeSetPreview } from '../../../shared/model';
import { api } from '../api';
import { useOrganisationStore } from './organisation';

/** The changes kept offline to apply after the next sync, of the current organisation. */
function usePendingChanges(preview: ShallowRef<ScopeSetPreview | null>) {
  const organisation = useOrganisationStore();
  const pending = shallowRef<PendingChange[]>([]);

  async function loadPending(): Promise<void> {
    const of = organisation.currentId;
    const answer = await api.listPendingChanges({ organisation: of });
    if (of === organisation.currentId) pending.value = answer;
  }

  /** Keeps the shown preview (made offline) as a pending change, applied after the next sync. */
  async function savePending(): Promise<PendingChange> {
    if (!preview.value) throw new Error('There is no preview to keep.');
    const change = await api.savePendingChange({ previewId: preview.value.previewId });
    preview.value = null;
    pending.value = [...pending.value, change];
    return change;
  }

  /** A pending change previewed afresh (main syncs the organisation first); the dialog shows it to apply. */
  async function previewPending(changeId: string): Promise<ScopeSetPreview> {
    preview.value = await api.previewPendingChange({ changeId });
    return preview.value;
  }

  async function removePending(changeId: string): Promise<void> {
    await api.deletePendingChange({ changeId });
    pending.value = pending.value.filter((c) => c.id !== changeId);
  }

  return { pending, loadPending, savePending, previewPending, removePending };
}

/** Stop, said at once ("Stopping…") while main finishes the applications being written and ends the rest's waits. */
function useStop(run: ShallowRef<ApplyStatus | null>, running: Readonly<Ref<boolean>>) {
  /** Stop was clicked (here, at once) or asked elsewhere (main says so) while the run goes on. */
  const stopAsked = ref(false);
  const stopping = computed(() => running.value && (stopAsked.value || run.value?.stopping === true));

  async function stop(): Promise<void> {
    if (!run.value) return;
    stopAsked.value = true;
    try {
      await api.stopApply({ runId: run.value.runId });
    } catch (error) {
      stopAsked.value = false;
      throw error;
    }
  }

  return { stopAsked, stopping, stop };
}

export const useScopeSetApplyStore = defineStore('scopeSetApply', () => {
  const organisation = useOrganisationStore();
  /** The preview the dialog shows; the one Apply applies. */
  const preview = shallowRef<ScopeSetPreview | null>(null);
  /** The last run started in this window, as main last reported it. */
  const run = shallowRef<ApplyStatus | null>(null);
  const running = computed(() => run.value?.state === 'running');
  const { stopping, stop, stopAsked } = useStop(run, running);
  /** The set and mode of the run's preview: what "Preview the rest" previews again. */
  const applied = shallowRef<{ setId: string; mode: ApplyMode } | null>(null);
  const rest = computed(() => restOf(run.value));
  /** The last progress main pushed of each run, kept even before apply's answer names the run (it may come first). */
  const heard = new Map<string, ApplyStatus>();
  api.on('applyProgress', (status) => {
    heard.set(status.runId, status);
    if (run.value?.runId === status.runId) run.value = newer(run.value, status);
  });

  async function makePreview(input: { setId: string; mode: ApplyMode; clientIds: string[] }): Promise<ScopeSetPreview> {
    // Online, the applications are read from the server first, so the preview is of what is there now.
    preview.value = await api.previewScopeSet({
      organisation: organisation.currentId,
      setId: input.setId,
      mode: input.mode,
      clientIds: input.clientIds,
      refresh: !organisation.offline,
    });
    return preview.value;
  }

  /** Starts applying the shown preview; the run goes on in main, which pushes its progress. */
  async function apply(): Promise<ApplyStatus> {
    if (!preview.value) throw new Error('There is no preview to apply.');
    const { setId, mode } = preview.value;
    const status = await api.applyScopeSet({ previewId: preview.value.previewId });
    applied.value = { setId, mode };
    stopAsked.value = false;
    run.value = newer(status, heard.get(status.runId));
    preview.value = null;
    return run.value;
  }

  /**
   * A preview of what the run did not apply (not run, failed, held back), with its set and mode: the applications as
   * they are now, so the held-back ones are previewed as the server has them. Answers the applications it chose.
   */
  async function previewRest(): Promise<string[]> {
    const of = applied.value;
    const clientIds = [...rest.value.notApplied, ...rest.value.conflicts];
    if (!of || clientIds.length === 0) throw new Error('Every application of the run was applied.');
    await makePreview({ ...of, clientIds });
    forgetRun();
    return clientIds;
  }

  function closePreview(): void {
    preview.value = null;
  }

  function forgetRun(): void {
    heard.clear();
    run.value = null;
  }

  return {
    preview,
    run,
    running,
    stopping,
    rest,
    ...usePendingChanges(preview),
    makePreview,
    apply,
    stop,
    previewRest,
    closePreview,
    forgetRun,
  };
});

/** The applications a run that ended did not apply: not run, failed, and held back as conflicts. */
function restOf(status: ApplyStatus | null): { notApplied: string[]; conflicts: string[] } {
  if (!status || status.state === 'running') return { notApplied: [], conflicts: [] };
  const of = (outcomes: string[]) => status.results.filter((r) => outcomes.includes(r.outcome)).map((r) => r.clientId);
  return { notApplied: of(['notRun', 'failed']), conflicts: of(['conflict']) };
}

/** Of two reports of one run, the later: the one further on, or the one that says the run ended. */
function newer(a: ApplyStatus, b: ApplyStatus | undefined): ApplyStatus {
  if (!b) return a;
  if (a.state !== 'running') return a;
  if (b.state !== 'running') return b;
  return b.done >= a.done ? b : a;
}

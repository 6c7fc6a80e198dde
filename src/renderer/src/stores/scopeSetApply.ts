// Applying a scope set to many applications of the current organisation: the preview, the run in main followed by
// polling applyStatus (progress, per-application results, conflicts), Stop, and the pending changes saved offline.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { ApplyMode, ApplyStatus, PendingChange, ScopeSetPreview } from '../../../shared/model';
import { api } from '../api';
import { useTenantStore } from './tenant';

/** How often the progress bar moves while a run goes on. */
const POLL_MS = 400;

export const useScopeSetApplyStore = defineStore('scopeSetApply', () => {
  const tenant = useTenantStore();
  /** The preview the dialog shows; the one Apply applies. */
  const preview = shallowRef<ScopeSetPreview | null>(null);
  /** The last run started in this window, as main last reported it. */
  const run = shallowRef<ApplyStatus | null>(null);
  const pending = shallowRef<PendingChange[]>([]);
  const running = computed(() => run.value?.state === 'running');
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function makePreview(input: { setId: string; mode: ApplyMode; clientIds: string[] }): Promise<ScopeSetPreview> {
    // Online, the applications are read from the server first, so the preview is of what is there now.
    preview.value = await api.previewScopeSet({
      tenant: tenant.currentId,
      setId: input.setId,
      mode: input.mode,
      clientIds: input.clientIds,
      refresh: !tenant.offline,
    });
    return preview.value;
  }

  function poll(runId: string): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      api
        .applyStatus({ runId })
        .then((status) => {
          if (run.value?.runId !== runId) return;
          run.value = status;
          if (status.state === 'running') poll(runId);
        })
        .catch(() => poll(runId));
    }, POLL_MS);
  }

  /** Starts applying the shown preview; the run goes on in main and its status is polled. */
  async function apply(): Promise<ApplyStatus> {
    if (!preview.value) throw new Error('There is no preview to apply.');
    const status = await api.applyScopeSet({ previewId: preview.value.previewId });
    run.value = status;
    preview.value = null;
    if (status.state === 'running') poll(status.runId);
    return status;
  }

  async function stop(): Promise<void> {
    if (!run.value) return;
    await api.stopApply({ runId: run.value.runId });
  }

  async function loadPending(): Promise<void> {
    const of = tenant.currentId;
    const answer = await api.listPendingChanges({ tenant: of });
    if (of === tenant.currentId) pending.value = answer;
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

  function closePreview(): void {
    preview.value = null;
  }

  function forgetRun(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    run.value = null;
  }

  return {
    preview,
    run,
    running,
    pending,
    makePreview,
    apply,
    stop,
    loadPending,
    savePending,
    previewPending,
    removePending,
    closePreview,
    forgetRun,
  };
});

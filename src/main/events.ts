// Main speaks first: the contract's events (an organisation's status, that its data changed, an apply's progress) as
// main's services raise them, handed to every door that listens (the window through IPC, the e2e bridge, later the
// CLI's socket). A listener that throws is its own problem: the others still hear the event.
import type { EventName, EventOf } from '../shared/contract';

export type EventListener = <E extends EventName>(name: E, payload: EventOf<E>) => void;

export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventOf<E>): void;
  /** Hears every event from now on; answers the function that stops it. */
  subscribe(listener: EventListener): () => void;
}

export function eventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(name, payload);
        } catch (error) {
          console.error(`A listener of ${name} failed:`, error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

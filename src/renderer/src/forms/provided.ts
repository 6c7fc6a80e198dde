// A value a page gives the components it is made of: provided once by the page, injected by each part under it.
import { inject, provide, type InjectionKey } from 'vue';

export interface Provided<T> {
  provide: (value: T) => void;
  /** The value of the page this component sits in; a part used outside one is a programming error. */
  inject: () => T;
}

/** `provider`: the page's function that provides it, named by the error of a part used outside such a page. */
export function provided<T>(provider: string): Provided<T> {
  const key: InjectionKey<T> = Symbol(provider);
  return {
    provide: (value) => provide(key, value),
    inject: () => {
      const value = inject(key, null);
      if (!value) throw new Error(`Not provided: the page must call ${provider}.`);
      return value;
    },
  };
}

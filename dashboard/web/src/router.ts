import { useEffect, useState } from 'preact/hooks';

/** The view and its parameters from the location hash, e.g. "#/clients/<id>". */
export interface Route {
  view: string;
  params: string[];
}

export function parseHash(hash: string): Route {
  const [view = '', ...params] = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { view, params };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    // The hash may have changed between the first render and this effect (a redirect to the home
    // section, or a link opened right after sign-in); that hashchange fired before anyone listened.
    on();
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const navigate = (path: string): void => {
  location.hash = `#/${path}`;
};

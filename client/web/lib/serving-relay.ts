// The relay that served the page, from its address alone: the page's first script needs it
// before anything else has loaded (route.ts re-exports it for the app).

/** The relay that served the page (http or https), with any index.html dropped; null from file://. */
export function servingRelay(location: { protocol: string; origin: string; pathname: string }): string | null {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
  const path = location.pathname.replace(/\/index\.html$/, '/').replace(/\/+$/, '');
  return location.origin + path;
}

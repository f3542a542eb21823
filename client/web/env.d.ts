// Stylesheets imported for their side effect (Vite bundles them).
declare module '*.css';
// Vite's inline worker: the worker bundled into the page, started from a blob URL.
declare module '*?worker&inline' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}

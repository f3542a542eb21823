// Stylesheets imported for their side effect (Vite bundles them).
declare module '*.css';
// Vite's workers: bundled as a file of their own, or inline (started from a blob URL).
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
declare module '*?worker&inline' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
/** A file of the build, by its URL (the PDF renderer's worker). */
declare module '*?url' {
  const url: string;
  export default url;
}

// Observable Plot (with d3) loads on first use, so only the admin dashboard ever downloads it.
export type PlotModule = typeof import('@observablehq/plot');

let loading: Promise<PlotModule> | undefined;

export function loadPlot(): Promise<PlotModule> {
  loading ??= import('@observablehq/plot').catch((error: unknown) => {
    loading = undefined; // a failed download (e.g. after a deploy) can be retried
    throw error;
  });
  return loading;
}

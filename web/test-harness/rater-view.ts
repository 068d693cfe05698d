// Test-only entry: mounts the rater's screens (instructions, or Comparison with JudgmentControls) and
// records what they hand to the rater loop, so Chromium tests can drive them with keyboard and mouse.
import { mount, unmount } from 'svelte';
import type { TTaskDesign, TTurn } from '$contract/campaign';
import '../src/app.css';
import Comparison from '../src/lib/components/Comparison.svelte';
import InstructionsScreen from '../src/lib/components/InstructionsScreen.svelte';
import JudgmentControls from '../src/lib/components/JudgmentControls.svelte';

interface Shown {
  design: TTaskDesign;
  context: TTurn[];
  left: string;
  right: string;
  canUndo?: boolean;
}

const events: { type: string; payload?: unknown }[] = [];
let mounted: ReturnType<typeof mount>[] = [];

const record = (type: string) => (payload?: unknown) => events.push({ type, payload });
const comparisonTarget = document.getElementById('comparison') as HTMLElement;

function reset(): void {
  for (const component of mounted) void unmount(component);
  events.length = 0;
}

function show({ design, context, left, right, canUndo = false }: Shown): void {
  reset();
  mounted = [
    mount(Comparison, { target: comparisonTarget, props: { context, left, right } }),
    mount(JudgmentControls, {
      target: document.getElementById('controls') as HTMLElement,
      props: { design, canUndo, onsubmit: record('submit'), onskip: record('skip'), onflag: record('flag'), onundo: record('undo') },
    }),
  ];
}

function showInstructions(props: { campaignName: string; instructions: string; contentWarning: string | null }): void {
  reset();
  mounted = [mount(InstructionsScreen, { target: comparisonTarget, props: { ...props, onstart: record('start') } })];
}

Object.assign(window, { raterView: { show, showInstructions, events } });

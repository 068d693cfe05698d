// Test-only entry: mounts Comparison and JudgmentControls for one comparison and records what the
// controls hand to the rater loop, so Chromium tests can drive them with the keyboard and mouse.
import { mount, unmount } from 'svelte';
import type { TTaskDesign, TTurn } from '$contract/campaign';
import '../src/app.css';
import Comparison from '../src/lib/components/Comparison.svelte';
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

function show({ design, context, left, right, canUndo = false }: Shown): void {
  for (const component of mounted) void unmount(component);
  events.length = 0;
  const record = (type: string) => (payload?: unknown) => events.push({ type, payload });
  mounted = [
    mount(Comparison, { target: document.getElementById('comparison') as HTMLElement, props: { context, left, right } }),
    mount(JudgmentControls, {
      target: document.getElementById('controls') as HTMLElement,
      props: { design, canUndo, onsubmit: record('submit'), onskip: record('skip'), onflag: record('flag'), onundo: record('undo') },
    }),
  ];
}

Object.assign(window, { raterView: { show, events } });

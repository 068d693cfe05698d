// Reachability in the graph of who beat whom, which decides whether a Bradley-Terry MLE exists.

/** Adjacency lists over nodes 0..n-1. */
export type Adjacency = number[][];

/**
 * Strongly connected components (Tarjan, iterative so deep graphs cannot overflow the stack).
 * Returns the component id of every node.
 */
export function stronglyConnectedComponents(adjacency: Adjacency): number[] {
  const n = adjacency.length;
  const index = new Array<number>(n).fill(-1);
  const lowLink = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let nextIndex = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, edge: number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [node, edge] = frame;
      if (edge === 0 && index[node] === -1) {
        index[node] = lowLink[node] = nextIndex++;
        stack.push(node);
        onStack[node] = true;
      }
      const next = adjacency[node]![edge];
      if (next !== undefined) {
        frame[1]++;
        if (index[next] === -1) work.push([next, 0]);
        else if (onStack[next]) lowLink[node] = Math.min(lowLink[node]!, index[next]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink[parent[0]] = Math.min(lowLink[parent[0]]!, lowLink[node]!);
      if (lowLink[node] === index[node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component[member] = components;
        } while (member !== node);
        components++;
      }
    }
  }
  return component;
}

/** Whether every node reaches every other one: a search forwards and one backwards from node 0. */
export function isStronglyConnected(adjacency: Adjacency): boolean {
  if (adjacency.length <= 1) return true;
  const reverse: Adjacency = adjacency.map(() => []);
  adjacency.forEach((targets, from) => targets.forEach((to) => reverse[to]!.push(from)));
  return reachesAll(adjacency) && reachesAll(reverse);
}

function reachesAll(adjacency: Adjacency): boolean {
  const seen = new Array<boolean>(adjacency.length).fill(false);
  const stack = [0];
  seen[0] = true;
  let count = 1;
  while (stack.length > 0) {
    for (const next of adjacency[stack.pop()!]!) {
      if (!seen[next]) {
        seen[next] = true;
        count++;
        stack.push(next);
      }
    }
  }
  return count === adjacency.length;
}

import type { CompletionMode } from './completionMode';
import type { LadderDecision, SkippedMode } from './ladderTypes';

const MODE_NAMES: Record<CompletionMode, string> = {
  fim: 'native fill-in-the-middle (/completions with suffix)',
  'mistral-fim': 'Mistral fill-in-the-middle (/fim/completions)',
  infill: 'llama.cpp infill (/infill)',
  template: 'the model’s FIM template (/completions, prompt only)',
  chat: 'a chat model filling a marked hole (single line)',
};

function skipLine(skip: SkippedMode, decision: LadderDecision): string {
  const name = MODE_NAMES[skip.mode];
  switch (skip.code) {
    case 'noFimOnHost':
      return `Skipped ${name}: ${skip.detail} has no fill-in-the-middle.`;
    case 'serverRefusesSuffix':
      return `Skipped ${name}: ${skip.detail} refuses suffix.`;
    case 'noSuffixOnServer':
      return `Skipped ${name}: ${skip.detail} takes no suffix.`;
    case 'noFamily':
      return decision.forced
        ? `Cannot use ${name}: the model id names no FIM family; set relayChat.autocomplete.family.`
        : `Skipped ${name}: the model id names no FIM family (relayChat.autocomplete.family can name one).`;
    case 'suffixDropped':
      return `Skipped ${name}: the relay drops suffix in silence (${skip.detail} with and without it).`;
    case 'refused':
      return `Skipped ${name}: the server refused it (${skip.detail}).`;
  }
}

function probeLine(decision: LadderDecision): string | undefined {
  const probe = decision.probe;
  if (!probe)
    return decision.probeNeeded ? 'Whether the relay passes suffix on is not checked yet.' : undefined;
  switch (probe.verdict) {
    case 'kept':
      return `The relay passes suffix on (${probe.withoutSuffix} → ${probe.withSuffix} prompt tokens).`;
    case 'dropped':
      return undefined; // said by the skipped line
    case 'inconclusive':
      return probe.note === 'noUsage'
        ? 'Could not check that the relay passes suffix on: it reports no token usage. Native fill-in-the-middle is kept.'
        : `Could not tell whether the relay passes suffix on (${probe.withoutSuffix} → ${probe.withSuffix} prompt tokens). Native fill-in-the-middle is kept.`;
    case 'failed':
      return `The suffix check failed${probe.message ? `: ${probe.message}` : ''}.`;
  }
}

/** What was decided and why, in lines for Check Endpoint's report (English; codes are in the decision). */
export function describeLadder(decision: LadderDecision): string[] {
  const lines: string[] = [];
  if (decision.mode) {
    lines.push(
      `Completion uses ${MODE_NAMES[decision.mode]}${decision.forced ? ' (set by relayChat.autocomplete.mode)' : ''}.`,
    );
  } else {
    lines.push('No completion mode is left for this endpoint and model.');
  }
  if (decision.family) {
    const source = decision.familySource === 'setting' ? 'relayChat.autocomplete.family' : 'the model id';
    lines.push(`FIM family: ${decision.family} (from ${source}).`);
  }
  for (const skip of decision.skipped) lines.push(skipLine(skip, decision));
  const probe = probeLine(decision);
  if (probe) lines.push(probe);
  if (decision.order.length > 1) {
    lines.push(
      `If refused, next: ${decision.order
        .slice(1)
        .map((m) => MODE_NAMES[m])
        .join(', then ')}.`,
    );
  }
  if (decision.local) lines.push('A local server: completions cost nothing.');
  return lines;
}

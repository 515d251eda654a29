import {
  cohenKappa,
  cronbachAlpha,
  intraclassCorrelation,
  ReliabilityDataError,
  StatsError,
  welchTTest,
} from '../../stats/index.ts';
import {
  type EmployerType,
  type FidelityIndexDefinition,
  type FidelityInformant,
  type FidelityRatings,
  fidelityBand,
} from '../../trial/index.ts';
import type {
  DomainConsistency,
  EmployerComparison,
  FidelityAnalysis,
  FidelityDisagreement,
  FidelityScores,
  RaterAgreement,
  SiteFidelity,
  SiteTimepointFidelity,
} from './fidelity-analysis-types.ts';

/** One interview: where and when, and each item's ratings. */
interface Interview {
  id: string;
  site: string;
  employerType: EmployerType;
  timepoint: number;
  informant: FidelityInformant;
  /** item -> independent ratings (rater, score) and the consensus score. */
  items: Map<string, { independent: { rater: string; score: number }[]; consensus: number | undefined }>;
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const centre = mean(values) as number;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1));
}

function present(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The interview's score of an item: the consensus score where given, else the mean of the independent ratings. */
function itemScore(cell: { independent: { score: number }[]; consensus: number | undefined }): number {
  if (cell.consensus !== undefined) return cell.consensus;
  return cell.independent.reduce((sum, rating) => sum + rating.score, 0) / cell.independent.length;
}

/** Domain, part and overall scores from item scores (item id -> score), by the index's scoring rules. */
function scoresFromItems(
  definition: FidelityIndexDefinition,
  itemScores: ReadonlyMap<string, number>,
): FidelityScores {
  const itemsOf = (test: (item: FidelityIndexDefinition['items'][number]) => boolean) =>
    definition.items.filter(test).flatMap((item) => {
      const score = itemScores.get(item.id);
      return score === undefined ? [] : [score];
    });
  const domains = definition.domains.map((domain) => ({
    domain: domain.id,
    score: mean(itemsOf((item) => item.domain === domain.id)),
  }));
  const part = (name: 'setup' | 'delivery') =>
    definition.scoring.part === 'mean_of_items'
      ? mean(itemsOf((item) => item.part === name))
      : mean(
          present(
            definition.domains.map((domain) =>
              mean(itemsOf((item) => item.part === name && item.domain === domain.id)),
            ),
          ),
        );
  const setup = part('setup');
  const delivery = part('delivery');
  const overall =
    definition.scoring.overall === 'mean_of_items'
      ? mean(itemsOf(() => true))
      : mean(present([setup, delivery]));
  return {
    domains,
    setup,
    delivery,
    overall,
    band: overall === null ? null : (fidelityBand(definition, overall)?.id ?? null),
  };
}

function groupInterviews(ratings: FidelityRatings): Interview[] {
  const interviews = new Map<string, Interview>();
  for (const rating of ratings.ratings) {
    let interview = interviews.get(rating.interviewId);
    if (interview === undefined) {
      interview = {
        id: rating.interviewId,
        site: rating.site,
        employerType: rating.employerType,
        timepoint: rating.timepoint,
        informant: rating.informant,
        items: new Map(),
      };
      interviews.set(rating.interviewId, interview);
    }
    const cell = interview.items.get(rating.item) ?? { independent: [], consensus: undefined };
    interview.items.set(rating.item, cell);
    if (rating.consensus) cell.consensus = rating.score;
    else cell.independent.push({ rater: rating.rater, score: rating.score });
  }
  return [...interviews.values()];
}

/** The two independent ratings of a cell, rater ids in code-point order (rater 1 first). */
function orderedPair(cell: { independent: { rater: string; score: number }[] }) {
  return [...cell.independent].sort((a, b) => byCodePoint(a.rater, b.rater)) as [
    { rater: string; score: number },
    { rater: string; score: number },
  ];
}

function reliabilityMessage(error: unknown): string {
  if (error instanceof StatsError) return error.message;
  throw error;
}

function raterAgreement(
  item: string,
  meta: { domain: string; part: 'setup' | 'delivery' } | null,
  first: number[],
  second: number[],
): RaterAgreement {
  const notes: string[] = [];
  const pairs = first.length;
  let weightedKappa: RaterAgreement['weightedKappa'] = null;
  let icc1: RaterAgreement['icc1'] = null;
  let icc2: RaterAgreement['icc2'] = null;
  if (pairs > 0) {
    try {
      const kappa = cohenKappa(first, second, { weights: 'quadratic' });
      const negativeVariance = kappa.warnings.some((warning) => warning.includes('weighted kappa variance'));
      weightedKappa = negativeVariance
        ? { estimate: kappa.kappa, se: null, ciLower: null, ciUpper: null }
        : { estimate: kappa.kappa, se: kappa.se, ciLower: kappa.ciLower, ciUpper: kappa.ciUpper };
      if (negativeVariance) {
        notes.push(
          "kappa: psych 2.2.9's weighted variance formula gave a negative value, so no SE or CI is reported",
        );
      }
    } catch (error) {
      notes.push(`kappa: ${reliabilityMessage(error)}`);
    }
    try {
      const icc = intraclassCorrelation([
        { name: 'rater1', values: first },
        { name: 'rater2', values: second },
      ]).icc;
      const row = (type: string) => {
        const found = icc.find((candidate) => candidate.type === type);
        return found === undefined
          ? null
          : { estimate: found.value, ciLower: found.ciLower, ciUpper: found.ciUpper };
      };
      icc1 = row('ICC1');
      icc2 = row('ICC2');
    } catch (error) {
      notes.push(`icc: ${reliabilityMessage(error)}`);
    }
  } else {
    notes.push('no interview has two independent ratings of this item');
  }
  const agreeing = first.filter((score, index) => score === second[index]).length;
  return {
    item,
    domain: meta?.domain ?? null,
    part: meta?.part ?? null,
    pairs,
    exactAgreement: pairs === 0 ? null : agreeing / pairs,
    weightedKappa,
    icc1,
    icc2,
    note: notes.length === 0 ? null : notes.join('; '),
  };
}

function employerComparison(
  sites: readonly SiteFidelity[],
  score: 'setup' | 'delivery' | 'overall',
): EmployerComparison {
  const scoresOf = (employer: EmployerType) =>
    present(sites.filter((site) => site.employerType === employer).map((site) => site[score]));
  const nhs = scoresOf('nhs');
  const voluntary = scoresOf('voluntary');
  const summary = (values: number[]) => ({ sites: values.length, mean: mean(values), sd: sampleSd(values) });
  let difference: EmployerComparison['difference'] = null;
  let note: string | null = null;
  if (nhs.length < 2 || voluntary.length < 2) {
    note = `Welch's t-test requires at least 2 sites per employer type (got ${nhs.length} NHS, ${voluntary.length} voluntary)`;
  } else {
    try {
      const test = welchTTest(nhs, voluntary);
      difference = {
        estimate: test.estimate,
        ciLower: test.ciLower,
        ciUpper: test.ciUpper,
        statistic: test.statistic,
        degreesOfFreedom: test.degreesOfFreedom,
        pValue: test.pValue,
      };
    } catch (error) {
      note = reliabilityMessage(error);
    }
  }
  return { score, nhs: summary(nhs), voluntary: summary(voluntary), difference, note };
}

/**
 * Analyses a validated fidelity ratings file against its index (docs/reference/fidelity-index.md):
 *
 * - Item score of an interview: the consensus score where recorded, else the mean of the (one or two)
 *   independent ratings. Site × timepoint item score: the mean over that site's interviews at that timepoint.
 *   Domain, set-up, delivery and overall scores follow the index's scoring rules, over rated items; the
 *   overall score's band follows the index's bands.
 * - Site scores: the mean of the site's scores over its timepoints. NHS vs voluntary: Welch's t-test on site
 *   scores (`t.test(nhs, voluntary)`), a simple comparison because sites are few.
 * - Inter-rater reliability per item and pooled over items, over interviews with two independent ratings
 *   (rater 1 = the rater id first in code-point order): quadratic-weighted kappa as `psych::cohen.kappa` and
 *   ICC(1) and ICC(2,1) as `psych::ICC(lmer = FALSE)`.
 * - Internal consistency per domain: `psych::alpha` (pairwise) over interviews × the domain's rated items.
 * - Disagreements: independent pairs differing by at least the index's threshold, with any consensus score.
 *
 * Pure. O(ratings + items × interviews) plus the alpha's O(k^4) per domain.
 * @throws nothing for data the validators accepted: a statistic that cannot be computed (one category, too
 *   few sites) is null with a note.
 * @example analyseFidelity(FIDELITY_INDEX_TEMPLATE, readFidelityRatings(table, FIDELITY_INDEX_TEMPLATE)).sites
 */
export function analyseFidelity(
  definition: FidelityIndexDefinition,
  ratings: FidelityRatings,
): FidelityAnalysis {
  const interviews = groupInterviews(ratings);

  // Site × timepoint scores.
  const groups = new Map<string, Interview[]>();
  for (const interview of interviews) {
    const key = JSON.stringify([interview.site, interview.timepoint]);
    groups.set(key, [...(groups.get(key) ?? []), interview]);
  }
  const siteTimepoints: SiteTimepointFidelity[] = [...groups.values()]
    .map((group) => {
      const first = group[0] as Interview;
      const itemScores = new Map<string, number>();
      for (const item of definition.items) {
        const scores = group.flatMap((interview) => {
          const cell = interview.items.get(item.id);
          return cell === undefined ? [] : [itemScore(cell)];
        });
        const value = mean(scores);
        if (value !== null) itemScores.set(item.id, value);
      }
      return {
        site: first.site,
        employerType: first.employerType,
        timepoint: first.timepoint,
        interviews: group.length,
        itemsRated: itemScores.size,
        ...scoresFromItems(definition, itemScores),
      };
    })
    .sort((a, b) => byCodePoint(a.site, b.site) || a.timepoint - b.timepoint);

  // Sites over timepoints.
  const siteNames = [...new Set(siteTimepoints.map((row) => row.site))];
  const sites: SiteFidelity[] = siteNames.map((site) => {
    const rows = siteTimepoints.filter((row) => row.site === site);
    const average = (pick: (row: SiteTimepointFidelity) => number | null) => mean(present(rows.map(pick)));
    const overall = average((row) => row.overall);
    return {
      site,
      employerType: (rows[0] as SiteTimepointFidelity).employerType,
      timepoints: rows.map((row) => row.timepoint),
      domains: definition.domains.map((domain) => ({
        domain: domain.id,
        score: average((row) => row.domains.find((entry) => entry.domain === domain.id)?.score ?? null),
      })),
      setup: average((row) => row.setup),
      delivery: average((row) => row.delivery),
      overall,
      band: overall === null ? null : (fidelityBand(definition, overall)?.id ?? null),
    };
  });

  // Reliability and disagreements.
  const pairsByItem = new Map<string, { first: number[]; second: number[] }>(
    definition.items.map((item) => [item.id, { first: [], second: [] }]),
  );
  const disagreements: FidelityDisagreement[] = [];
  let doubleRated = 0;
  let singleRated = 0;
  let consensus = 0;
  let scoredItems = 0;
  for (const interview of interviews) {
    for (const item of definition.items) {
      const cell = interview.items.get(item.id);
      if (cell === undefined) continue;
      scoredItems++;
      if (cell.consensus !== undefined) consensus++;
      if (cell.independent.length === 1) singleRated++;
      if (cell.independent.length !== 2) continue;
      doubleRated++;
      const [one, two] = orderedPair(cell);
      const pairs = pairsByItem.get(item.id) as { first: number[]; second: number[] };
      pairs.first.push(one.score);
      pairs.second.push(two.score);
      if (Math.abs(one.score - two.score) >= definition.disagreementThreshold) {
        disagreements.push({
          interviewId: interview.id,
          site: interview.site,
          timepoint: interview.timepoint,
          informant: interview.informant,
          item: item.id,
          raters: [one.rater, two.rater],
          scores: [one.score, two.score],
          consensusScore: cell.consensus ?? null,
        });
      }
    }
  }
  const itemAgreement = definition.items.map((item) => {
    const pairs = pairsByItem.get(item.id) as { first: number[]; second: number[] };
    return raterAgreement(item.id, { domain: item.domain, part: item.part }, pairs.first, pairs.second);
  });
  const pooled = [...pairsByItem.values()];
  const overall = raterAgreement(
    'all',
    null,
    pooled.flatMap((pairs) => pairs.first),
    pooled.flatMap((pairs) => pairs.second),
  );

  // Internal consistency per domain over interviews.
  const internalConsistency: DomainConsistency[] = definition.domains.map((domain) => {
    const domainItems = definition.items.filter(
      (item) => item.domain === domain.id && interviews.some((interview) => interview.items.has(item.id)),
    );
    const rows = interviews.filter((interview) => domainItems.some((item) => interview.items.has(item.id)));
    const base = { domain: domain.id, items: domainItems.length, interviews: rows.length };
    try {
      const alpha = cronbachAlpha(
        domainItems.map((item) => ({
          name: item.id,
          values: rows.map((interview) => {
            const cell = interview.items.get(item.id);
            return cell === undefined ? Number.NaN : itemScore(cell);
          }),
        })),
      );
      return {
        ...base,
        rawAlpha: alpha.rawAlpha,
        stdAlpha: alpha.stdAlpha,
        ciLower: alpha.ciLower,
        ciUpper: alpha.ciUpper,
        note: alpha.warnings.length === 0 ? null : alpha.warnings.join('; '),
      };
    } catch (error) {
      if (!(error instanceof ReliabilityDataError)) throw error;
      return { ...base, rawAlpha: null, stdAlpha: null, ciLower: null, ciUpper: null, note: error.message };
    }
  });

  const interviewSites = new Set(interviews.map((interview) => interview.site));
  return {
    index: {
      id: definition.id,
      name: definition.name,
      version: definition.version,
      note: definition.note ?? null,
      placeholderItems: definition.items.filter((item) => item.placeholder === true).length,
      scale: definition.scale,
      scoring: definition.scoring,
      bands: definition.bands.map(({ id, label, minimum }) => ({ id, label, minimum })),
      disagreementThreshold: definition.disagreementThreshold,
      domains: definition.domains.map(({ id, label }) => ({ id, label })),
    },
    source: ratings.source,
    counts: {
      ratings: ratings.ratings.length,
      interviews: interviews.length,
      sites: interviewSites.size,
      scoredItems,
      doubleRated,
      singleRated,
      consensus,
    },
    siteTimepoints,
    sites,
    employerComparison: (['setup', 'delivery', 'overall'] as const).map((score) =>
      employerComparison(sites, score),
    ),
    reliability: { overall, items: itemAgreement },
    internalConsistency,
    disagreements,
    needingConsensus: disagreements.filter((entry) => entry.consensusScore === null).length,
  };
}

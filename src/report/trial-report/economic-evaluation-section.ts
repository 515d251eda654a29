import type { EconomicEvaluation } from '../../analysis/economics/economics-types.ts';
import type { MeanSd } from '../../analysis/trial-analysis-types.ts';
import { acceptabilityCurve } from '../acceptability-curve.ts';
import { costEffectivenessPlane, formatMoney } from '../cost-effectiveness-plane.ts';
import { formatDecimal, formatMeanSd } from './format.ts';
import { escapeHtml, figure, paragraph, type Row, table } from './html.ts';
import { TRIAL_REPORT_CSS } from './styles.ts';

/** Arm levels and their display labels, intervention first. */
export interface EconomicsArm {
  readonly level: string;
  readonly label: string;
}

const SYMBOLS: Readonly<Record<string, string>> = { GBP: '£', EUR: '€', USD: '$' };

function money(value: number | null | undefined, symbol: string): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'NA' : formatMoney(value, symbol);
}

function moneyMeanSd(value: MeanSd | undefined, symbol: string): string {
  return value === undefined ? 'NA' : `${money(value.mean, symbol)} (${money(value.sd, symbol)})`;
}

/**
 * The body of the "Economic evaluation" section (HTML; the caller adds the heading): the unit costs table,
 * resource use and costs by arm, utilities and QALYs, the incremental analysis (cost and QALY differences
 * with bootstrap CIs, ICER, net monetary benefit, probabilities), the cost-effectiveness plane and the
 * acceptability curve, and a methods paragraph. Money in whole units of the unit costs' currency.
 * @example economicEvaluationSection(result, [{ level: 'peer_support', label: 'Peer support' }, { level: 'usual_care', label: 'Usual care' }])
 */
export function economicEvaluationSection(
  economics: EconomicEvaluation,
  arms: readonly [EconomicsArm, EconomicsArm],
): string {
  const symbol = SYMBOLS[economics.currency] ?? `${economics.currency} `;
  const [intervention, reference] = arms;
  const level = `${formatDecimal(economics.bootstrap.confidenceLevel * 100, 0)}%`;
  const priceYears = [...new Set(economics.unitCosts.costs.map((cost) => cost.priceYear))].join(', ');
  const sources = [...new Set(economics.unitCosts.costs.map((cost) => cost.source))];
  const illustrative = sources.some((source) => /illustrative/i.test(source));
  const armColumns = (what: string) =>
    arms.map((arm) => ({ text: `${arm.label}, ${what}`, scope: 'col' as const, numeric: true }));
  const useRows: Row[] = economics.costs.categories.map((category) => ({
    cells: [
      { text: category.label, scope: 'row' as const },
      ...arms.map((arm) => ({
        text: formatMeanSd(category.use[arm.level]?.mean, category.use[arm.level]?.sd, 1),
        numeric: true,
      })),
    ],
  }));
  const costRows: Row[] = economics.costs.categories.map((category) => ({
    cells: [
      { text: category.label, scope: 'row' as const },
      ...arms.map((arm) => ({
        text: moneyMeanSd(category.cost[arm.level], symbol),
        numeric: true,
        field: `cost-${category.resource}-${arm.level}`,
      })),
    ],
  }));
  costRows.push({
    className: 'total',
    cells: [
      { text: 'Total cost', scope: 'row' as const },
      ...arms.map((arm) => ({
        text: moneyMeanSd(economics.costs.byArm[arm.level]?.total, symbol),
        numeric: true,
        field: `cost-total-${arm.level}`,
      })),
    ],
  });
  const analysed = arms
    .map((arm) => `${arm.label.toLowerCase()} ${economics.costs.byArm[arm.level]?.n ?? 0}`)
    .join(', ');
  const unitCostTable = table({
    id: 'economics-unit-costs',
    caption: `Unit costs (${economics.currency}, price year ${priceYears})`,
    head: [
      [
        { text: 'Resource', scope: 'col' },
        { text: 'Unit', scope: 'col' },
        { text: 'Unit cost', scope: 'col', numeric: true },
        { text: 'Source', scope: 'col' },
      ],
    ],
    body: economics.unitCosts.costs.map((cost) => ({
      cells: [
        { text: cost.resource, scope: 'row' },
        { text: cost.unit },
        { text: money(cost.cost, symbol), numeric: true },
        { text: cost.source },
      ],
    })),
    ...(illustrative
      ? {
          note: 'Illustrative unit costs: replace them with the reference costs named in the health economics analysis plan.',
        }
      : {}),
  });
  const useTable = table({
    id: 'economics-resource-use',
    caption: `Resource use per participant over 12 months (participants with complete service use: ${analysed})`,
    head: [[{ text: 'Resource', scope: 'col' }, ...armColumns('units, mean (SD)')]],
    body: useRows,
  });
  const costTable = table({
    id: 'economics-costs',
    caption: `Costs per participant over 12 months (${economics.currency}; ${analysed})`,
    head: [[{ text: 'Cost category', scope: 'col' }, ...armColumns('mean (SD)')]],
    body: costRows,
  });
  const qalyRow = (label: string, pick: (arm: EconomicsArm) => MeanSd | undefined, digits: number): Row => ({
    cells: [
      { text: label, scope: 'row' },
      ...arms.map((arm) => {
        const value = pick(arm);
        return {
          text: `${formatMeanSd(value?.mean, value?.sd, digits)} [n = ${value?.n ?? 0}]`,
          numeric: true,
        };
      }),
    ],
  });
  const qalyTable = table({
    id: 'economics-qalys',
    caption: `EQ-5D utilities and QALYs over 4 months${economics.qalys.valueSet ? ` (EQ-5D-${economics.qalys.valueSet.version} states scored with ${economics.qalys.valueSet.source})` : ''}`,
    head: [
      [
        { text: '', scope: 'col' },
        ...arms.map((arm) => ({ text: `${arm.label}, mean (SD)`, scope: 'col' as const, numeric: true })),
      ],
    ],
    body: [
      qalyRow('Utility at baseline', (arm) => economics.qalys.byArm[arm.level]?.eq5dBaseline, 3),
      qalyRow('Utility at 4 months', (arm) => economics.qalys.byArm[arm.level]?.eq5d4m, 3),
      qalyRow('QALYs over 4 months', (arm) => economics.qalys.byArm[arm.level]?.qaly, 4),
    ],
  });
  const cost = economics.costs.meanDifference;
  const qaly = economics.qalys.meanDifference;
  const incrementalRows: Row[] = [
    {
      cells: [
        { text: 'Adjusted mean cost difference', scope: 'row' },
        {
          text: `${money(cost.estimate, symbol)} (${money(cost.ciLower, symbol)} to ${money(cost.ciUpper, symbol)})`,
          numeric: true,
          field: 'cost-difference',
        },
      ],
    },
    {
      cells: [
        { text: 'Ratio of mean costs (Gamma GLM)', scope: 'row' },
        {
          text: `${formatDecimal(economics.costs.costRatio.estimate, 2)} (${formatDecimal(economics.costs.costRatio.ciLower, 2)} to ${formatDecimal(economics.costs.costRatio.ciUpper, 2)})`,
          numeric: true,
        },
      ],
    },
    {
      cells: [
        { text: 'Adjusted QALY difference', scope: 'row' },
        {
          text: `${formatDecimal(qaly.estimate, 4)} (${formatDecimal(qaly.ciLower, 4)} to ${formatDecimal(qaly.ciUpper, 4)})`,
          numeric: true,
          field: 'qaly-difference',
        },
      ],
    },
    {
      cells: [
        { text: 'ICER (cost per QALY gained)', scope: 'row' },
        { text: `${money(economics.icer, symbol)} (${economics.quadrant})`, numeric: true, field: 'icer' },
      ],
    },
    ...economics.netMonetaryBenefit.map((nmb) => ({
      cells: [
        { text: `Net monetary benefit at ${money(nmb.wtp, symbol)} per QALY`, scope: 'row' as const },
        {
          text: `${money(nmb.estimate, symbol)} (${money(nmb.ciLower, symbol)} to ${money(nmb.ciUpper, symbol)}); P(cost-effective) ${formatDecimal(nmb.probabilityCostEffective, 3)}`,
          numeric: true,
        },
      ],
    })),
    {
      cells: [
        { text: 'Probability that peer support is cost saving', scope: 'row' },
        {
          text: formatDecimal(economics.probabilityCostSaving, 3),
          numeric: true,
          field: 'probability-cost-saving',
        },
      ],
    },
  ];
  const incrementalTable = table({
    id: 'economics-incremental',
    caption: `Incremental analysis, ${intervention.label.toLowerCase()} versus ${reference.label.toLowerCase()} (${level} bootstrap percentile intervals)`,
    head: [
      [
        { text: '', scope: 'col' },
        { text: `Estimate (${level} CI)`, scope: 'col', numeric: true },
      ],
    ],
    body: incrementalRows,
  });
  const quadrants = economics.plane.quadrants;
  const summary = `Over 12 months, the adjusted mean total cost was ${money(Math.abs(cost.estimate), symbol)} ${cost.estimate < 0 ? 'lower' : 'higher'} with ${intervention.label.toLowerCase()} than with ${reference.label.toLowerCase()} (${level} CI ${money(cost.ciLower, symbol)} to ${money(cost.ciUpper, symbol)}); the probability that ${intervention.label.toLowerCase()} is cost saving is ${formatDecimal(economics.probabilityCostSaving, 2)}. The adjusted QALY difference over 4 months was ${formatDecimal(qaly.estimate, 4)} (${formatDecimal(qaly.ciLower, 4)} to ${formatDecimal(qaly.ciUpper, 4)}). ${economics.netMonetaryBenefit.map((nmb, index) => `${index === 0 ? 'At' : 'at'} ${money(nmb.wtp, symbol)} per QALY the probability of cost-effectiveness is ${formatDecimal(nmb.probabilityCostEffective, 2)}`).join('; ')}.`;
  const methods = `Costs were calculated from the 12-month service use in the analysis dataset multiplied by the unit costs (${economics.unitCosts.source}), plus the per-participant cost of the peer support service for everyone randomised to peer support, in participants with complete service use. The adjusted mean cost difference is from a generalised linear model with a Gamma distribution and log link (${economics.costs.model}, started at the mean cost), by recycled predictions: every participant predicted under each arm, the means subtracted.${economics.costs.zeroCostShift > 0 ? ` Because some participants had no costs, ${money(economics.costs.zeroCostShift, symbol)} was added to every total cost before fitting and subtracted from the predicted means.` : ''} QALYs over 4 months are the area under the utility curve, (baseline + 4-month utility)/2 × 4/12; the adjusted difference is the arm coefficient of ${economics.qalys.model}. Uncertainty: ${economics.bootstrap.R} non-parametric bootstrap resamples of participants stratified by arm (seed ${economics.bootstrap.seed}, R's generator), refitting both models in each; intervals are percentile intervals; the acceptability curve is the share of resamples with λ·ΔQALY − Δcost > 0 (strictly).`;
  const plane = costEffectivenessPlane(
    {
      qalyDifferences: economics.plane.qalyDifferences,
      costDifferences: economics.plane.costDifferences,
      estimate: { qaly: qaly.estimate, cost: cost.estimate },
    },
    {
      thresholds: economics.wtp,
      currencySymbol: symbol,
      intervention: intervention.label.toLowerCase(),
      comparator: reference.label.toLowerCase(),
    },
  );
  const curve = acceptabilityCurve(economics.ceac, {
    marks: economics.wtp,
    currencySymbol: symbol,
    intervention: intervention.label.toLowerCase(),
  });
  return [
    paragraph(summary, 'key-sentence'),
    unitCostTable,
    useTable,
    costTable,
    qalyTable,
    incrementalTable,
    figure(
      'economics-plane',
      plane,
      `Figure: cost-effectiveness plane. ${economics.bootstrap.R} bootstrap replicates of the incremental cost and QALYs; shares by quadrant: more costly and more effective ${formatDecimal(quadrants.northEast, 3)}, more costly and less effective ${formatDecimal(quadrants.northWest, 3)}, less costly and more effective ${formatDecimal(quadrants.southEast, 3)}, less costly and less effective ${formatDecimal(quadrants.southWest, 3)}.`,
    ),
    figure(
      'economics-ceac',
      curve,
      'Figure: cost-effectiveness acceptability curve, the probability that peer support is cost-effective at each willingness to pay per QALY.',
    ),
    `<div class="methods">${paragraph(methods)}</div>`,
    economics.warnings.length > 0
      ? `<h3>Notes from the model fits</h3>\n<ul class="models">${economics.warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('\n')}</ul>`
      : '',
  ].join('\n');
}

/**
 * A stand-alone HTML document with the economic evaluation (what `enrich economics --html` writes), in the
 * trial report's style: self-contained (inline CSS and SVG), prints on A4.
 * @example renderEconomicsReport(result, { generatedAt: '2025-01-01T00:00:00Z', inputFile: 'trial.csv', enrichVersion: '0.1.0' })
 */
export function renderEconomicsReport(
  economics: EconomicEvaluation,
  options: {
    generatedAt: string;
    inputFile: string;
    inputSha256?: string;
    enrichVersion: string;
    title?: string;
  },
): string {
  const title = options.title ?? 'Economic evaluation: peer support for discharge';
  const arms: [EconomicsArm, EconomicsArm] = [
    { level: 'peer_support', label: 'Peer support' },
    { level: 'usual_care', label: 'Usual care' },
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="enrich ${escapeHtml(options.enrichVersion)}">
<title>${escapeHtml(title)}</title>
<style>${TRIAL_REPORT_CSS}</style>
</head>
<body>
<header class="report-header">
<h1>${escapeHtml(title)}</h1>
<dl class="identification">
<dt>Analysis dataset</dt><dd>${escapeHtml(options.inputFile)}</dd>
${options.inputSha256 ? `<dt>SHA-256</dt><dd class="hash">${escapeHtml(options.inputSha256)}</dd>\n` : ''}<dt>Generated</dt><dd>${escapeHtml(`${options.generatedAt} by enrich ${options.enrichVersion}`)}</dd>
</dl>
</header>
<main>
<section id="economics" aria-labelledby="economics-heading">
<h2 id="economics-heading">Economic evaluation</h2>
${economicEvaluationSection(economics, arms)}
</section>
</main>
</body>
</html>
`;
}

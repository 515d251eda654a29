import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertWellFormedSvg, attribute, elementsWithRole } from '../../../test/helpers/svg.ts';
import { consortDiagram } from './consort-diagram.ts';
import { sampleTrialAnalysis } from './sample-analysis.test-support.ts';

const arms = [
  { level: 'peer_support', label: 'Peer support' },
  { level: 'usual_care', label: 'Usual care' },
];

/** The counts drawn in the diagram: arm -> key -> value, with the value also read from the text. */
function drawnCounts(svg: string): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const element of [...svg.matchAll(/<text [^>]*data-role="consort-count"[^>]*>([^<]*)<\/text>/g)]) {
    const tag = element[0];
    const arm = attribute(tag, 'data-arm');
    const key = attribute(tag, 'data-key');
    const value = Number(attribute(tag, 'data-value'));
    // the number the reader sees is the attribute's number
    assert.match(element[1] as string, new RegExp(`\\(n = ${value}\\)$`));
    if (!counts.has(arm)) counts.set(arm, new Map());
    counts.get(arm)?.set(key, value);
  }
  return counts;
}

describe('consortDiagram', () => {
  const { consort } = sampleTrialAnalysis();
  const svg = consortDiagram(consort, { arms, randomisationNote: 'stratified by site and diagnosis group' });

  it('is a well-formed SVG with the stages and one column per arm, intervention on the left', () => {
    assertWellFormedSvg(svg);
    assert.deepEqual(
      elementsWithRole(svg, 'consort-stage').length,
      3,
      'Allocation, Follow-up and Analysis bands',
    );
    for (const stage of ['Allocation', 'Follow-up', 'Analysis']) assert.match(svg, new RegExp(`>${stage}<`));
    assert.match(svg, />Allocated to peer support</);
    assert.match(svg, />Allocated to usual care</);
    assert.match(svg, />stratified by site and diagnosis group</);
    const xOf = (arm: string) =>
      Number(
        attribute(
          svg.match(new RegExp(`<g data-role="consort-box" data-arm="${arm}"><rect [^>]*>`))?.[0] ?? '',
          'x',
        ),
      );
    assert.ok(xOf('peer_support') < xOf('usual_care'));
    assert.match(
      svg,
      /<title>CONSORT flow diagram: 590 randomised; 294 allocated to peer support, 296 allocated to usual care<\/title>/,
    );
  });

  it('shows the analysis numbers, and they add up', () => {
    const counts = drawnCounts(svg);
    assert.equal(counts.get('all')?.get('randomised'), consort.randomised);
    let allocated = 0;
    for (const { level } of arms) {
      const drawn = counts.get(level);
      const numbers = consort.byArm[level];
      assert.ok(drawn && numbers);
      assert.equal(drawn.get('allocated'), numbers.randomised);
      assert.equal(drawn.get('withdrawn'), numbers.withdrawn);
      assert.equal(drawn.get('died'), numbers.died);
      assert.equal(drawn.get('missingPrimary'), numbers.missingPrimary);
      assert.equal(drawn.get('analysedPrimary'), numbers.analysedPrimary);
      assert.equal(drawn.get('fourMonthFollowUp'), numbers.fourMonthFollowUp);
      // flow identities: analysed + not known = allocated; interviewed + not interviewed = allocated
      assert.equal(
        (drawn.get('analysedPrimary') ?? 0) + (drawn.get('missingPrimary') ?? 0),
        drawn.get('allocated'),
      );
      assert.equal(
        (drawn.get('fourMonthFollowUp') ?? 0) + (drawn.get('noFourMonth') ?? 0),
        drawn.get('allocated'),
      );
      allocated += drawn.get('allocated') ?? 0;
    }
    assert.equal(allocated, counts.get('all')?.get('randomised'));
  });

  it('escapes arm labels and draws an arm without numbers as zeros', () => {
    const other = consortDiagram(consort, {
      arms: [
        { level: 'peer_support', label: 'Peer <support> & more' },
        { level: 'absent', label: 'Absent' },
      ],
    });
    assertWellFormedSvg(other);
    assert.match(other, /Allocated to peer &lt;support&gt; &amp; more/);
    assert.equal(drawnCounts(other).get('absent')?.get('allocated'), 0);
  });
});

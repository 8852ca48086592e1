// AMA Manual of Style, 11th edition: our own CSL template (citation-js bundles none) and the data it is given.
// Journal articles, books and chapters: the kinds of record PubMed holds.

import { toCsl } from '../csl';
import type { CitationStyle } from './style';

// NLM's MedlineTA is AMA's journal abbreviation (no periods); group authors follow the persons after a
// semicolon ("…et al; KEYNOTE-189 Investigators"); page ranges are whole and joined by a hyphen.
const AMA_CSL = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" demote-non-dropping-particle="never" page-range-format="expanded">
  <info>
    <title>American Medical Association 11th edition (paperbot)</title>
    <id>paperbot-ama</id>
    <updated>2026-12-06T00:00:00+00:00</updated>
  </info>
  <locale xml:lang="en">
    <terms>
      <term name="et-al">et al</term>
      <term name="page-range-delimiter">-</term>
    </terms>
  </locale>
  <macro name="persons">
    <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
  </macro>
  <macro name="author">
    <group delimiter="; ">
      <names variable="author">
        <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
        <substitute>
          <names variable="editor">
            <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
            <label form="short" prefix=", " strip-periods="true"/>
          </names>
        </substitute>
      </names>
      <names variable="contributor"><name delimiter="; "/></names>
    </group>
  </macro>
  <macro name="editors">
    <names variable="editor">
      <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
      <label form="short" prefix=", " strip-periods="true"/>
    </names>
  </macro>
  <macro name="imprint">
    <group delimiter="; ">
      <text variable="publisher"/>
      <date variable="issued"><date-part name="year"/></date>
    </group>
  </macro>
  <macro name="source">
    <choose>
      <if type="chapter">
        <group delimiter=". ">
          <group delimiter=" ">
            <text value="In:"/>
            <text macro="editors"/>
          </group>
          <text variable="container-title" font-style="italic"/>
          <text macro="imprint"/>
        </group>
      </if>
      <else-if type="book">
        <text macro="imprint"/>
      </else-if>
      <else>
        <group delimiter=". ">
          <text variable="container-title" form="short" font-style="italic"/>
          <group>
            <date variable="issued"><date-part name="year"/></date>
            <text variable="volume" prefix=";"/>
            <text variable="issue" prefix="(" suffix=")"/>
            <text variable="page" prefix=":"/>
          </group>
        </group>
      </else>
    </choose>
  </macro>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography et-al-min="7" et-al-use-first="3">
    <layout>
      <group delimiter=" ">
        <group delimiter=". " suffix=".">
          <text macro="author"/>
          <text variable="title"/>
          <text macro="source"/>
        </group>
        <text variable="DOI" prefix="doi:"/>
      </group>
    </layout>
  </bibliography>
</style>
`;

export const ama: CitationStyle = {
  label: 'AMA',
  kind: 'reference',
  format: (article, engine) =>
    engine.bibliography(toCsl(article, { groupsApart: true, notes: false }), {
      name: 'paperbot-ama',
      xml: AMA_CSL,
    }),
};

// Vancouver as NLM's Citing Medicine (2nd ed.) gives it: our own CSL template and the data it is given.
// citation-js's bundled "vancouver" uses en dashes and runs the DOI into the PMID, so it is not used.

import { toCsl } from '../csl';
import type { CitationStyle } from './style';

// Six persons then "et al.", group authors after a semicolon, MedlineTA, "2005 Jan;62(1):112-6" (the
// last page shortened, a hyphen), then "doi:…." and "PMID: ….", each a sentence of its own.
const VANCOUVER_CSL = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" demote-non-dropping-particle="never" page-range-format="minimal">
  <info>
    <title>Vancouver, after Citing Medicine 2nd edition (paperbot)</title>
    <id>paperbot-vancouver</id>
    <updated>2026-12-06T00:00:00+00:00</updated>
  </info>
  <locale xml:lang="en">
    <terms>
      <term name="page-range-delimiter">-</term>
      <term name="editor"><single>editor</single><multiple>editors</multiple></term>
    </terms>
  </locale>
  <macro name="author">
    <group delimiter="; ">
      <names variable="author">
        <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
        <substitute>
          <names variable="editor">
            <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
            <label form="long" prefix=", "/>
          </names>
        </substitute>
      </names>
      <names variable="contributor"><name delimiter="; "/></names>
    </group>
  </macro>
  <macro name="imprint">
    <group delimiter="; ">
      <group delimiter=": ">
        <text variable="publisher-place"/>
        <text variable="publisher"/>
      </group>
      <date variable="issued"><date-part name="year"/></date>
    </group>
  </macro>
  <macro name="source">
    <choose>
      <if type="chapter">
        <group delimiter=". ">
          <group delimiter=" ">
            <text value="In:"/>
            <names variable="editor">
              <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
              <label form="long" prefix=", "/>
            </names>
          </group>
          <text variable="container-title"/>
          <text macro="imprint"/>
        </group>
      </if>
      <else-if type="book">
        <text macro="imprint"/>
      </else-if>
      <else>
        <group delimiter=". ">
          <text variable="container-title" form="short"/>
          <group>
            <date variable="issued">
              <date-part name="year"/>
              <date-part name="month" form="short" strip-periods="true" prefix=" "/>
              <date-part name="day" prefix=" "/>
            </date>
            <text variable="volume" prefix=";"/>
            <text variable="issue" prefix="(" suffix=")"/>
            <text variable="page" prefix=":"/>
          </group>
        </group>
      </else>
    </choose>
  </macro>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography et-al-min="7" et-al-use-first="6">
    <layout>
      <group delimiter=" ">
        <group delimiter=". " suffix=".">
          <text macro="author"/>
          <text variable="title"/>
          <text macro="source"/>
        </group>
        <text variable="DOI" prefix="doi:" suffix="."/>
        <text variable="PMID" prefix="PMID: " suffix="."/>
      </group>
    </layout>
  </bibliography>
</style>
`;

export const vancouver: CitationStyle = {
  label: 'Vancouver',
  kind: 'reference',
  format: (article, engine) =>
    engine.bibliography(toCsl(article, { groupsApart: true, notes: false }), {
      name: 'paperbot-vancouver',
      xml: VANCOUVER_CSL,
    }),
};

// The AMA (11th edition) citation style as a CSL template, for citation-js: journal articles and books.
// Embedded as a string so the compiled build needs no asset copying; citation-js bundles no AMA style.

export const AMA_CSL = `<?xml version="1.0" encoding="utf-8"?>
<!-- AMA Manual of Style, 11th edition, journal articles and books: the subset paperbot cites (PubMed records). -->
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" demote-non-dropping-particle="never" page-range-format="expanded">
  <info>
    <title>American Medical Association 11th edition (paperbot)</title>
    <id>paperbot-ama</id>
    <updated>2026-11-26T00:00:00+00:00</updated>
  </info>
  <macro name="author">
    <names variable="author">
      <name name-as-sort-order="all" sort-separator=" " initialize-with="" delimiter=", " delimiter-precedes-et-al="always" delimiter-precedes-last="always"/>
      <substitute><names variable="editor"/></substitute>
    </names>
  </macro>
  <macro name="source">
    <choose>
      <if type="book chapter" match="any">
        <group delimiter=". ">
          <text variable="container-title" font-style="italic"/>
          <text variable="publisher"/>
          <date variable="issued"><date-part name="year"/></date>
        </group>
      </if>
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

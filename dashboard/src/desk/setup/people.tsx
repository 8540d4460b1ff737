// "Dewan dan tim": the smart-city council and the implementation team, each set up by a mayor's
// decree (number and date), with their members (position, institution or OPD).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { explain, gq } from '../lib';
import { Notice } from '../ui';
import {
  MEMBERS_QUERY,
  type MemberPage,
  PEOPLE_QUERY,
  type CouncilMemberRow,
  type CouncilRow,
  type PartProps,
  type TeamMemberRow,
  type TeamRow,
} from './data';
import { EditableList, EntityForm, useQuery, type FieldDef, type FormSpec, type Versioned } from './form';
import { useWords, type Words } from './words';

const CATEGORIES = ['GOVERNMENT', 'UNIVERSITY', 'FKPD', 'COMMUNITY', 'PRIVATE'] as const;
const ROLES = ['LEADER', 'DEPUTY', 'SECRETARY', 'MEMBER'] as const;

function decreeFields(w: Words): FieldDef[] {
  return [
    { key: 'name', label: w.people.bodyName, kind: 'text', required: true, maxLength: 200, wide: true },
    { key: 'decreeNumber', label: w.people.decreeNumber, kind: 'text', maxLength: 120, hint: w.people.decreeNumberHint },
    { key: 'decreeDate', label: w.people.decreeDate, kind: 'date', hint: w.people.decreeDateHint },
  ];
}

function decreeSpec<O extends CouncilRow | TeamRow>(w: Words, entity: 'Council' | 'Team', cityId: string): FormSpec<O> {
  return {
    entity,
    parent: { cityId },
    fields: decreeFields(w),
    values: (o) => ({ name: o?.name ?? '', decreeNumber: o?.decreeNumber ?? '', decreeDate: o?.decreeDate ?? '' }),
  };
}

function councilMemberSpec(w: Words, councilId: string): FormSpec<CouncilMemberRow> {
  return {
    entity: 'CouncilMember',
    parent: { councilId },
    fields: [
      { key: 'name', label: w.people.memberName, kind: 'text', required: true, maxLength: 200 },
      { key: 'position', label: w.people.position, kind: 'text', required: true, maxLength: 200, hint: w.people.councilPositionHint },
      { key: 'organisation', label: w.people.organisation, kind: 'text', maxLength: 200, hint: w.people.organisationHint },
      {
        key: 'category',
        label: w.people.category,
        kind: 'select',
        required: true,
        options: CATEGORIES.map((c) => [c, w.people.categories[c]]),
      },
    ],
    values: (m) => ({
      name: m?.name ?? '',
      position: m?.position ?? '',
      organisation: m?.organisation ?? '',
      category: m?.category ?? 'GOVERNMENT',
    }),
  };
}

function teamMemberSpec(w: Words, teamId: string, opds: { id: string; name: string }[]): FormSpec<TeamMemberRow> {
  return {
    entity: 'TeamMember',
    parent: { teamId },
    fields: [
      { key: 'name', label: w.people.memberName, kind: 'text', required: true, maxLength: 200 },
      { key: 'role', label: w.people.role, kind: 'select', required: true, options: ROLES.map((r) => [r, w.people.roles[r]]) },
      { key: 'position', label: w.people.position, kind: 'text', maxLength: 200, hint: w.people.teamPositionHint },
      { key: 'opdId', label: w.people.opd, kind: 'select', options: opds.map((o) => [o.id, o.name]), empty: w.people.noOpd, audit: 'opd' },
    ],
    values: (m) => ({ name: m?.name ?? '', role: m?.role ?? 'MEMBER', position: m?.position ?? '', opdId: m?.opd?.id ?? '' }),
  };
}

interface People {
  city: { opds: { id: string; name: string; abbreviation: string }[]; councils: CouncilRow[]; teams: TeamRow[] };
}

/** The part. */
export function PeopleSection({ ctx, tick, reload }: PartProps): JSX.Element {
  const w = useWords(ctx);
  const { data, error } = useQuery<People>(ctx, PEOPLE_QUERY, tick);
  const [notice, setNotice] = useState<string | null>(null);
  const title = w.people.title(ctx.city.name);
  useEffect(() => {
    document.title = `${title} — Pantau`;
  }, [title]);
  const city = data?.city;
  return (
    <div>
      <h1>{title}</h1>
      <p class="dk-lead">{w.people.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      {!city ? (
        <p role="status">{w.page.loading}</p>
      ) : (
        <>
          <Bodies ctx={ctx} entity="Council" rows={city.councils} reload={reload} setNotice={setNotice} tick={tick} opds={city.opds} />
          <Bodies ctx={ctx} entity="Team" rows={city.teams} reload={reload} setNotice={setNotice} tick={tick} opds={city.opds} />
        </>
      )}
    </div>
  );
}

function Bodies({
  ctx,
  entity,
  rows,
  reload,
  setNotice,
  tick,
  opds,
}: PartProps & {
  entity: 'Council' | 'Team';
  rows: (CouncilRow | TeamRow)[];
  setNotice: (s: string) => void;
  opds: { id: string; name: string }[];
}): JSX.Element {
  const w = useWords(ctx);
  const words = entity === 'Council' ? w.people.council : w.people.team;
  const spec = decreeSpec<CouncilRow | TeamRow>(w, entity, ctx.cityId);
  const key = entity.toLowerCase();
  return (
    <section class="dk-panel" aria-labelledby={`${key}-title`} id={`${key}s`}>
      <h2 id={`${key}-title`}>{words.heading}</h2>
      <p class="dk-muted">{words.about}</p>
      {rows.length === 0 ? (
        <EntityForm
          ctx={ctx}
          spec={{
            ...spec,
            values: (o: CouncilRow | TeamRow | null) => ({ ...spec.values(o), name: o ? o.name : words.defaultName(ctx.city.name) }),
          }}
          obj={null}
          prefix={`new-${key}`}
          title={words.create}
          submitLabel={words.createButton}
          onSaved={() => setNotice(words.created)}
          onReload={reload}
        />
      ) : null}
      {rows.map((body) => (
        <Body
          ctx={ctx}
          entity={entity}
          body={body}
          spec={spec}
          reload={reload}
          setNotice={setNotice}
          tick={tick}
          opds={opds}
          key={body.id}
        />
      ))}
    </section>
  );
}

function Body({
  ctx,
  entity,
  body,
  spec,
  reload,
  setNotice,
  tick,
  opds,
}: PartProps & {
  entity: 'Council' | 'Team';
  body: CouncilRow | TeamRow;
  spec: FormSpec<CouncilRow | TeamRow>;
  setNotice: (s: string) => void;
  opds: { id: string; name: string }[];
}): JSX.Element {
  const w = useWords(ctx);
  const [editing, setEditing] = useState(false);
  const key = entity.toLowerCase();
  const decree = body.decreeNumber
    ? w.people.decree(body.decreeNumber, body.decreeDate ? ctx.f.date(body.decreeDate, 'long') : null)
    : w.people.noDecree;
  return (
    <div class="su-body" data-body={body.id}>
      <div class="su-item-head">
        <div>
          <h3>{body.name}</h3>
          <p class="dk-meta">{decree}</p>
        </div>
        <button type="button" class="dk-btn" data-action={`edit-${key}`} aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? w.form.close : w.people.editDecree}
        </button>
      </div>
      {editing ? (
        <EntityForm
          ctx={ctx}
          spec={spec}
          obj={body}
          prefix={`${key}-${body.id}`}
          submitLabel={w.form.saveChanges}
          onSaved={() => setNotice(w.form.savedNamed(body.name))}
          onReload={reload}
          onCancel={() => setEditing(false)}
          archiveQuestion={w.people.archiveBody(body.name)}
          onArchived={() => setNotice(w.form.archivedNamed(body.name))}
        />
      ) : null}
      {entity === 'Council' ? (
        <CouncilMembers ctx={ctx} council={body} reload={reload} setNotice={setNotice} tick={tick} />
      ) : (
        <TeamMembers ctx={ctx} team={body as TeamRow} reload={reload} setNotice={setNotice} tick={tick} opds={opds} />
      )}
    </div>
  );
}

function CouncilMembers({
  ctx,
  council,
  reload,
  setNotice,
  tick,
}: PartProps & { council: CouncilRow; setNotice: (s: string) => void }): JSX.Element {
  const w = useWords(ctx);
  // 50 a page (a council of 130 takes three requests); the list is kept while it reads again.
  const [members, setMembers] = useState<CouncilMemberRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    void (async () => {
      const rows: CouncilMemberRow[] = [];
      let after: string | null = null;
      for (;;) {
        const d: { city: { councils: { id: string; members: MemberPage }[] } } = await gq(ctx, MEMBERS_QUERY, { city: ctx.cityId, after });
        const page = d.city.councils.find((c) => c.id === council.id)?.members;
        if (!page) break;
        rows.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
        after = page.pageInfo.endCursor;
      }
      if (alive) {
        setMembers(rows);
        setError(null);
      }
    })().catch((e: unknown) => alive && setError(explain(e, ctx.w)));
    return () => {
      alive = false;
    };
  }, [council.id, tick]);
  return (
    <Members
      ctx={ctx}
      reload={reload}
      setNotice={setNotice}
      kind="cm"
      bodyId={council.id}
      spec={councilMemberSpec(w, council.id)}
      items={members}
      note={error ? <Notice kind="error">{error}</Notice> : members === null ? <p role="status">{w.page.loading}</p> : null}
      badge={(m) => w.people.categories[m.category as (typeof CATEGORIES)[number]] ?? m.category}
      meta={(m) => [m.position, m.organisation]}
    />
  );
}

/** A list of members with its add form; each row a name, a badge and a line of details. */
function Members<O extends Versioned & { name: string }>({
  ctx,
  reload,
  setNotice,
  kind,
  bodyId,
  spec,
  items,
  note,
  badge,
  meta,
}: Pick<PartProps, 'ctx' | 'reload'> & {
  setNotice: (s: string) => void;
  /** Council members (`cm`) or team members (`tm`): the DOM ids start with it. */
  kind: 'cm' | 'tm';
  bodyId: string;
  spec: FormSpec<O>;
  items: O[] | null;
  note?: JSX.Element | null;
  badge: (item: O) => string;
  meta: (item: O) => (string | null | undefined)[];
}): JSX.Element {
  const w = useWords(ctx);
  return (
    <div class="su-members">
      <h4>{w.people.members(items?.length ?? 0)}</h4>
      {note}
      <EditableList
        add={{ prefix: `${kind}-new-${bodyId}`, label: w.people.addMember, done: w.people.memberAdded }}
        ctx={ctx}
        items={items ?? []}
        spec={spec}
        prefix={kind}
        listId={`${kind}-${bodyId}`}
        dataKey={(m) => m.name}
        reload={reload}
        onChanged={setNotice}
        archiveQuestion={(m) => w.people.archiveMember(m.name)}
        summary={(m) => (
          <div>
            <strong>{m.name}</strong> <span class="dk-status">{badge(m)}</span>
            <div class="dk-meta">{meta(m).filter(Boolean).join(' · ')}</div>
          </div>
        )}
      />
    </div>
  );
}

function TeamMembers({
  ctx,
  team,
  reload,
  setNotice,
  opds,
}: PartProps & { team: TeamRow; setNotice: (s: string) => void; opds: { id: string; name: string }[] }): JSX.Element {
  const w = useWords(ctx);
  const order = (r: string): number => ROLES.indexOf(r as (typeof ROLES)[number]);
  const members = [...team.members].sort((a, b) => order(a.role) - order(b.role) || a.name.localeCompare(b.name));
  return (
    <Members
      ctx={ctx}
      reload={reload}
      setNotice={setNotice}
      kind="tm"
      bodyId={team.id}
      spec={teamMemberSpec(w, team.id, opds)}
      items={members}
      badge={(m) => w.people.roles[m.role as (typeof ROLES)[number]] ?? m.role}
      meta={(m) => [m.position, opds.find((o) => o.id === m.opd?.id)?.name]}
    />
  );
}

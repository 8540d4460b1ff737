import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { policy } from '../../auth/policy';
import type { Context } from '../../context';
import { badInput } from '../../errors';
import { isUuid } from '../../util/ids';
import { City } from '../cities/city.entity';
import { crudResolver, VersionedInput } from '../../graphql/crud';
import { check, given } from '../../util/validate';
import { resolveInCity, resolveManagedParent } from '../../events/writes';
import { Program } from '../masterplan/masterplan.entity';
import { Opd } from '../opds/opd.entity';
import { cityOpdsById, cityPrograms } from '../overview/city-data';
import { Risk, RiskStatus } from './risk.entity';
import { RISK_SCALE, RiskLevel, riskLevel, riskMatrix, type MatrixCell } from './severity';

/** A likelihood or impact: a whole number 1–5. */
function scale(field: string, value: number): number {
  if (!Number.isInteger(value) || value < RISK_SCALE.min || value > RISK_SCALE.max)
    throw badInput(`input.${field}`, 'riskScale', RISK_SCALE);
  return value;
}

@InputType({ description: 'A new risk to a quick win.' })
class CreateRiskInput {
  @Field(() => ID, { description: 'The quick-win program at risk (of a city you manage).' }) programId!: string;
  @Field(() => String) description!: string;
  @Field(() => Int, { description: '1–5' }) likelihood!: number;
  @Field(() => Int, { description: '1–5' }) impact!: number;
  @Field(() => String, { nullable: true }) mitigation?: string | null;
  @Field(() => ID, { nullable: true, description: 'The OPD that owns the risk.' }) ownerOpdId?: string | null;
  @Field(() => RiskStatus, { nullable: true, description: 'Default OPEN.' }) status?: RiskStatus | null;
}

@InputType({ description: 'Changes to a risk; fields left out stay as they are.' })
class UpdateRiskInput extends VersionedInput {
  @Field(() => ID, { nullable: true, description: 'Another quick win of the same city.' }) programId?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true }) likelihood?: number | null;
  @Field(() => Int, { nullable: true }) impact?: number | null;
  @Field(() => String, { nullable: true }) mitigation?: string | null;
  @Field(() => ID, { nullable: true, description: 'null removes the owner.' }) ownerOpdId?: string | null;
  @Field(() => RiskStatus, { nullable: true }) status?: RiskStatus | null;
}

/** The program as a quick win of the risk's city: BAD_USER_INPUT on `programId` otherwise. */
function quickWin(program: Program): Program {
  if (!program.quickWin) throw badInput('input.programId', 'riskNotQuickWin');
  return program;
}

/**
 * create/update/archive Risk: whoever manages the city (its city admins, platform admins). An
 * OPD's reporter reads the register but does not edit it: it is the implementation team's tool,
 * and an OPD's obstacles reach the team through its progress reports.
 */
export const RiskCrudResolver = crudResolver({
  name: 'Risk',
  entity: Risk,
  createInput: CreateRiskInput,
  updateInput: UpdateRiskInput,
  cityIdOf: (r) => r.city.id,
  async create(em, input, principal) {
    const program = quickWin(await resolveManagedParent(em, Program, 'Program', input.programId, 'programId', (p) => p.city.id, principal));
    const risk = new Risk(
      program,
      check.text('description', input.description, 2_000),
      scale('likelihood', input.likelihood),
      scale('impact', input.impact),
    );
    risk.mitigation = check.optionalText('mitigation', input.mitigation, 2_000);
    if (input.ownerOpdId) risk.ownerOpd = await resolveInCity(em, Opd, 'Opd', input.ownerOpdId, program.city.id, 'ownerOpdId');
    if (input.status) risk.status = input.status;
    return risk;
  },
  async update(em, risk, input) {
    if (input.programId) risk.program = quickWin(await resolveInCity(em, Program, 'Program', input.programId, risk.city.id, 'programId'));
    if (given(input.description) && input.description !== null) risk.description = check.text('description', input.description, 2_000);
    if (given(input.likelihood) && input.likelihood !== null) risk.likelihood = scale('likelihood', input.likelihood);
    if (given(input.impact) && input.impact !== null) risk.impact = scale('impact', input.impact);
    if (given(input.mitigation)) risk.mitigation = check.optionalText('mitigation', input.mitigation, 2_000);
    if (given(input.ownerOpdId))
      risk.ownerOpd = input.ownerOpdId === null ? null : await resolveInCity(em, Opd, 'Opd', input.ownerOpdId, risk.city.id, 'ownerOpdId');
    if (input.status) risk.status = input.status;
  },
});

/** One cell of the risk matrix. */
@ObjectType({ description: 'One cell of the 5×5 risk matrix.' })
export class RiskMatrixCell {
  @Field(() => Int) likelihood!: number;
  @Field(() => Int) impact!: number;
  @Field(() => Int, { description: 'likelihood × impact' }) score!: number;
  @Field(() => RiskLevel) level!: RiskLevel;
  @Field(() => Int, { description: 'How many risks (not CLOSED) sit in this cell.' }) count!: number;
}

/** The city's (or one quick win's) risks on a 5×5 matrix. */
@ObjectType({ description: 'Risks that are not CLOSED, counted on the likelihood × impact matrix.' })
export class RiskMatrix {
  @Field(() => [RiskMatrixCell], { description: '25 cells: likelihood 5 down to 1, and within each impact 1 to 5.' }) cells!: MatrixCell[];
  @Field(() => Int, { description: 'Risks counted (not CLOSED).' }) total!: number;
}

/** The program filter of a risk query: a program of this city, else BAD_USER_INPUT on `programId`. */
async function programFilter(ctx: Context, city: City, programId: string | null): Promise<string | null> {
  if (programId === null || programId === undefined) return null;
  if (!isUuid(programId) || !(await cityPrograms(ctx, city.id)).has(programId))
    throw badInput('programId', 'notInCity', { entity: 'Program' });
  return programId;
}

/** A city's risks, riskiest first (score, then newest), once per request. */
async function cityRisks(ctx: Context, city: City, programId: string | null, status: RiskStatus | null): Promise<Risk[]> {
  policy.assertRead(ctx.principal, city.id, 'City', city.id);
  const program = await programFilter(ctx, city, programId);
  const rows = await ctx.em.find(
    Risk,
    { city: city.id, archivedAt: null, ...(program ? { program: program } : {}), ...(status ? { status } : {}) },
    { orderBy: { id: 'desc' } },
  );
  return rows.sort((a, b) => b.likelihood * b.impact - a.likelihood * a.impact || b.impact - a.impact);
}

/** `City.risks` and `City.riskMatrix`. */
@Resolver(() => City)
export class CityRisksResolver {
  @FieldResolver(() => [Risk], {
    description: "The city's risk register, riskiest first (likelihood × impact, then impact, then newest); archived risks are left out.",
  })
  async risks(
    @Root() city: City,
    @Arg('programId', () => ID, { nullable: true, description: 'Only the risks of this quick win.' }) programId: string | null,
    @Arg('status', () => RiskStatus, { nullable: true }) status: RiskStatus | null,
    @Ctx() ctx: Context,
  ): Promise<Risk[]> {
    return cityRisks(ctx, city, programId, status);
  }

  @FieldResolver(() => RiskMatrix, { description: 'The 5×5 matrix of the risks that are not CLOSED (of one quick win with `programId`).' })
  async riskMatrix(
    @Root() city: City,
    @Arg('programId', () => ID, { nullable: true }) programId: string | null,
    @Ctx() ctx: Context,
  ): Promise<RiskMatrix> {
    const open = (await cityRisks(ctx, city, programId, null)).filter((r) => r.status !== RiskStatus.CLOSED);
    return { cells: riskMatrix(open), total: open.length };
  }
}

/** A risk's derived fields and its quick win and owner. */
@Resolver(() => Risk)
export class RiskResolver {
  @FieldResolver(() => Int, { description: 'likelihood × impact, 1–25.' })
  score(@Root() risk: Risk): number {
    return risk.likelihood * risk.impact;
  }

  @FieldResolver(() => RiskLevel)
  level(@Root() risk: Risk): RiskLevel {
    return riskLevel(risk.likelihood * risk.impact);
  }

  @FieldResolver(() => Program, { description: 'The quick win at risk.' })
  async program(@Root() risk: Risk, @Ctx() ctx: Context): Promise<Program> {
    const program = (await cityPrograms(ctx, risk.city.id)).get(risk.program.id);
    if (!program) throw new Error(`risk ${risk.id}: program ${risk.program.id} is not its city's`);
    return program;
  }

  @FieldResolver(() => Opd, { nullable: true, description: 'The OPD that owns the risk.' })
  async ownerOpd(@Root() risk: Risk, @Ctx() ctx: Context): Promise<Opd | null> {
    return risk.ownerOpd ? ((await cityOpdsById(ctx, risk.city.id)).get(risk.ownerOpd.id) ?? null) : null;
  }
}

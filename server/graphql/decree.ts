import { Field, ID, InputType, type ClassType } from 'type-graphql';
import type { DecreedBodyEntity } from '../db/city-owned.entity';
import { City } from '../modules/cities/city.entity';
import { crudResolver, VersionedInput } from './crud';
import { check, given } from '../util/validate';
import { resolveManagedParent } from '../events/writes';

/** What creating a body set up by decree takes. */
interface CreateDecreedBody {
  cityId: string;
  name: string;
  decreeNumber?: string | null;
  decreeDate?: string | null;
}

/** What changing one takes. */
interface UpdateDecreedBody extends VersionedInput {
  name?: string | null;
  decreeNumber?: string | null;
  decreeDate?: string | null;
}

/**
 * create/update/archive for a body set up by decree (`Council`, `Team`): the same inputs and rules,
 * under the entity's own GraphQL names (`CreateCouncilInput`, `updateTeam`, …). City admins.
 */
export function decreedBodyCrud<E extends DecreedBodyEntity>(
  name: string,
  entity: ClassType<E>,
  make: (city: City, name: string) => E,
  label: string,
): ClassType {
  @InputType(`Create${name}Input`, { description: `A new ${label} of a city.` })
  class CreateInput implements CreateDecreedBody {
    @Field(() => ID) cityId!: string;
    @Field(() => String) name!: string;
    @Field(() => String, { nullable: true }) decreeNumber?: string | null;
    @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) decreeDate?: string | null;
  }

  @InputType(`Update${name}Input`, { description: `Changes to a ${label}.` })
  class UpdateInput extends VersionedInput implements UpdateDecreedBody {
    @Field(() => String, { nullable: true }) name?: string | null;
    @Field(() => String, { nullable: true }) decreeNumber?: string | null;
    @Field(() => String, { nullable: true }) decreeDate?: string | null;
  }

  return crudResolver({
    name,
    entity,
    createInput: CreateInput,
    updateInput: UpdateInput,
    cityIdOf: (row) => row.city.id,
    async create(em, input, principal) {
      const city = await resolveManagedParent(em, City, 'City', input.cityId, 'cityId', (c) => c.id, principal);
      const row = make(city, check.text('name', input.name, 200));
      row.decreeNumber = check.optionalText('decreeNumber', input.decreeNumber, 120);
      row.decreeDate = check.optionalDate('decreeDate', input.decreeDate);
      return row;
    },
    async update(_em, row, input) {
      if (given(input.name) && input.name !== null) row.name = check.text('name', input.name, 200);
      if (given(input.decreeNumber)) row.decreeNumber = check.optionalText('decreeNumber', input.decreeNumber, 120);
      if (given(input.decreeDate)) row.decreeDate = check.optionalDate('decreeDate', input.decreeDate);
    },
  });
}

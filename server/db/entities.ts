import { BaseEntity } from './base.entity';
import { CityOwnedEntity } from './city-owned.entity';
import { City } from '../modules/cities/city.entity';
import { Council, CouncilMember } from '../modules/council/council.entity';
import { Team, TeamMember } from '../modules/teams/team.entity';
import { Opd } from '../modules/opds/opd.entity';
import { Masterplan, Program } from '../modules/masterplan/masterplan.entity';
import { ActionPlan } from '../modules/action-plans/action-plan.entity';
import { Indicator, IndicatorValue, Milestone } from '../modules/action-plans/indicator.entity';
import { ProgressReport } from '../modules/progress/progress-report.entity';
import { Activity, EvaluationVisit, ProgrammeEventEntity } from '../modules/evaluation/evaluation.entity';
import { User } from '../modules/users/user.entity';
import { AuditEntry } from '../modules/audit/audit.entity';
import { CityEvent, Revocation } from '../events/event.entity';
import { CitySequence } from '../events/sequence';
import { PlanLateMark } from '../modules/action-plans/late-mark.entity';
import { ScreenToken } from '../modules/screens/screen-token.entity';
import { Risk } from '../modules/risks/risk.entity';
import { ActionPlanTag, IndicatorTag, Tag, TagCatalog } from '../modules/tags/tag.entity';
import { EvaluationFramework, RubricItem } from '../modules/monev/framework.entity';
import { AssessmentItem, AssessorScore, SelfAssessment } from '../modules/monev/assessment.entity';
import { Evidence, EvidenceAttachment, EvidenceBlob, EvidenceChunk } from '../modules/monev/evidence.entity';

/** Every entity class, for the ORM's discovery. */
export const entities = [
  BaseEntity,
  CityOwnedEntity,
  City,
  Council,
  CouncilMember,
  Team,
  TeamMember,
  Opd,
  Masterplan,
  Program,
  ActionPlan,
  Indicator,
  IndicatorValue,
  Milestone,
  ProgressReport,
  ProgrammeEventEntity,
  Activity,
  EvaluationVisit,
  User,
  AuditEntry,
  CityEvent,
  CitySequence,
  PlanLateMark,
  Revocation,
  ScreenToken,
  Risk,
  TagCatalog,
  Tag,
  ActionPlanTag,
  IndicatorTag,
  EvaluationFramework,
  RubricItem,
  SelfAssessment,
  AssessmentItem,
  AssessorScore,
  EvidenceBlob,
  EvidenceChunk,
  Evidence,
  EvidenceAttachment,
];

import type { RouteModule } from '../context.ts';
import { registerAnalysisReportRoutes } from './analysis-report.ts';
import { registerAssessmentRoutes } from './assessments.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerAuthRoutes } from './auth.ts';
import { registerExportRoutes } from './exports.ts';
import { registerFidelityRoutes } from './fidelity.ts';
import { registerInstrumentRoutes } from './instruments.ts';
import { registerParticipantRoutes } from './participants.ts';
import { registerPeerSupportRoutes } from './peer-support.ts';
import { registerProtocolDeviationRoutes } from './protocol-deviations.ts';
import { registerRandomisationSettingsRoutes } from './randomisation-settings.ts';
import { registerRecruitmentRoutes } from './recruitment.ts';
import { registerSafetyRoutes } from './safety.ts';
import { registerScreeningRoutes } from './screening.ts';
import { registerSiteRoutes } from './sites.ts';
import { registerSummaryRoutes } from './summaries.ts';
import { registerTrialRoutes } from './trials.ts';
import { registerUserDirectoryRoutes } from './user-directory.ts';
import { registerUserRoutes } from './users.ts';
import { registerWellbeingRoutes } from './wellbeing.ts';

/**
 * Every route module, one per resource. To add one: create routes/<resource>.ts exporting
 * `register<Resource>Routes: RouteModule` and append it here (see docs/reference/http-api.md, "Adding a route").
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  registerAuthRoutes,
  registerUserRoutes,
  registerTrialRoutes,
  registerSiteRoutes,
  registerParticipantRoutes,
  registerAuditRoutes,
  registerExportRoutes,
  registerScreeningRoutes,
  registerAssessmentRoutes,
  registerPeerSupportRoutes,
  registerSafetyRoutes,
  registerInstrumentRoutes,
  registerSummaryRoutes,
  registerUserDirectoryRoutes,
  registerRandomisationSettingsRoutes,
  registerAnalysisReportRoutes,
  registerFidelityRoutes,
  registerWellbeingRoutes,
  registerRecruitmentRoutes,
  registerProtocolDeviationRoutes,
];

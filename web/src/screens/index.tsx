import type { ReactNode } from 'react';
import type { Role, SessionUser } from '../api.ts';
import { AnalysisScreen } from './analysis.tsx';
import { AuditScreen } from './audit.tsx';
import { FidelityConsensusScreen, FidelityIndexScreen, FidelityRatingScreen } from './fidelity.tsx';
import { FollowUpsScreen } from './follow-ups.tsx';
import { LockScreen } from './lock.tsx';
import { ParticipantScreen } from './participant-detail.tsx';
import { ParticipantsScreen } from './participants.tsx';
import {
  AwaitingAssignmentScreen,
  CaseloadsScreen,
  ContactsDueScreen,
  LogContactScreen,
  MyCaseloadScreen,
} from './peer-support.tsx';
import { RandomisationSettingsScreen } from './randomisation-settings.tsx';
import { RecruitmentScreen } from './recruitment.tsx';
import { CompletenessScreen, ConsortScreen } from './reports.tsx';
import { ScreenForm } from './screen-form.tsx';
import { ScreeningLogScreen } from './screening-log.tsx';
import { SitesScreen } from './sites.tsx';
import { TokensScreen } from './tokens.tsx';
import { UsersScreen } from './users.tsx';
import { WellbeingScreen, WellbeingSummaryScreen } from './wellbeing.tsx';

/** A page of the app: its path (`:name` segments are parameters), menu label, and who uses it. */
export interface Screen {
  readonly path: string;
  readonly label: string;
  readonly roles: readonly Role[];
  readonly nav?: boolean;
  readonly render: (props: { user: SessionUser; params: Readonly<Record<string, string>> }) => ReactNode;
}

/** Every page, in menu order per role (the first a role may use is its home page). */
export const SCREENS: readonly Screen[] = [
  {
    path: '/caseload',
    label: 'My caseload',
    roles: ['peer_worker'],
    render: ({ user }) => <MyCaseloadScreen user={user} />,
  },
  {
    path: '/contact/:id',
    label: 'Log a contact',
    nav: false,
    roles: ['peer_worker', 'pw_coordinator'],
    render: ({ user, params }) => <LogContactScreen user={user} id={params.id ?? ''} />,
  },
  {
    path: '/awaiting',
    label: 'Awaiting a peer worker',
    roles: ['pw_coordinator'],
    render: ({ user }) => <AwaitingAssignmentScreen user={user} />,
  },
  {
    path: '/caseloads',
    label: 'Caseloads',
    roles: ['pw_coordinator'],
    render: ({ user }) => <CaseloadsScreen user={user} />,
  },
  {
    path: '/contacts-due',
    label: 'Contacts due',
    roles: ['pw_coordinator'],
    render: ({ user }) => <ContactsDueScreen user={user} />,
  },
  {
    path: '/recruitment',
    label: 'Recruitment',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <RecruitmentScreen user={user} />,
  },
  {
    path: '/participants',
    label: 'Participants',
    roles: ['researcher', 'trial_manager', 'admin', 'pw_coordinator'],
    render: ({ user }) => <ParticipantsScreen user={user} />,
  },
  {
    path: '/screening-log',
    label: 'Screening log',
    roles: ['researcher', 'trial_manager'],
    render: ({ user }) => <ScreeningLogScreen user={user} />,
  },
  {
    path: '/screen',
    label: 'Screen and consent',
    roles: ['researcher', 'trial_manager'],
    render: ({ user }) => <ScreenForm user={user} />,
  },
  {
    path: '/participants/:id',
    label: 'Participant',
    nav: false,
    roles: ['researcher', 'trial_manager', 'admin', 'pw_coordinator', 'peer_worker'],
    render: ({ user, params }) => <ParticipantScreen user={user} id={params.id ?? ''} />,
  },
  {
    path: '/follow-ups',
    label: 'Follow-ups due',
    roles: ['researcher', 'trial_manager'],
    render: ({ user }) => <FollowUpsScreen user={user} />,
  },
  {
    path: '/consort',
    label: 'CONSORT flow',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <ConsortScreen user={user} />,
  },
  {
    path: '/completeness',
    label: 'Completeness',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <CompletenessScreen user={user} />,
  },
  {
    path: '/analysis',
    label: 'Analysis',
    roles: ['statistician'],
    render: ({ user }) => <AnalysisScreen user={user} />,
  },
  { path: '/users', label: 'Users', roles: ['admin'], render: ({ user }) => <UsersScreen user={user} /> },
  {
    path: '/sites',
    label: 'Sites',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <SitesScreen user={user} />,
  },
  {
    path: '/audit',
    label: 'Audit trail',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <AuditScreen user={user} />,
  },
  {
    path: '/lock',
    label: 'Database lock',
    roles: ['trial_manager'],
    render: ({ user }) => <LockScreen user={user} />,
  },
  {
    path: '/tokens',
    label: 'API tokens',
    roles: ['admin', 'statistician', 'trial_manager'],
    render: ({ user }) => <TokensScreen user={user} />,
  },
  {
    path: '/fidelity',
    label: 'Fidelity ratings',
    roles: ['researcher', 'admin'],
    render: ({ user }) => <FidelityRatingScreen user={user} />,
  },
  {
    path: '/fidelity/consensus',
    label: 'Fidelity consensus',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <FidelityConsensusScreen user={user} />,
  },
  {
    path: '/fidelity/index',
    label: 'Fidelity index',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <FidelityIndexScreen user={user} />,
  },
  {
    path: '/wellbeing',
    label: 'My wellbeing questionnaires',
    roles: ['peer_worker'],
    render: ({ user }) => <WellbeingScreen user={user} />,
  },
  {
    path: '/wellbeing/summary',
    label: 'Peer worker wellbeing',
    roles: ['pw_coordinator', 'trial_manager', 'admin'],
    render: ({ user }) => <WellbeingSummaryScreen user={user} />,
  },
  {
    path: '/randomisation-settings',
    label: 'Randomisation settings',
    roles: ['trial_manager', 'admin'],
    render: ({ user }) => <RandomisationSettingsScreen user={user} />,
  },
];

/** The pages a role uses, in menu order. */
export function screensFor(role: Role): Screen[] {
  return SCREENS.filter((screen) => screen.roles.includes(role));
}

/** The page for a path (and its parameters), if the role uses it. */
export function matchScreen(
  role: Role,
  path: string,
): { screen: Screen; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter((part) => part !== '');
  for (const screen of screensFor(role)) {
    const pattern = screen.path.split('/').filter((part) => part !== '');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matches = true;
    pattern.forEach((segment, index) => {
      const part = parts[index] as string;
      if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(part);
      else if (segment !== part) matches = false;
    });
    if (matches) return { screen, params };
  }
  return undefined;
}

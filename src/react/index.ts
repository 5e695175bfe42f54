// careconnect-launch/react: <CareConnectButton> for React, with typed event props
// (onCareconnectAccept, ...), made by @lit/react from the custom element.
import { createComponent, type EventName } from '@lit/react';
import React from 'react';
import { CareConnectButton as CareConnectButtonElement } from '../components/careconnect-button.js';
import '../components/define.js';
import type { CareConnectErrorDetail, CareConnectLaunchDetail, CareConnectViewerDetail } from '../components/events.js';

type ViewerEvent = EventName<CustomEvent<CareConnectViewerDetail>>;

export const CareConnectButton = createComponent({
  tagName: 'careconnect-button',
  elementClass: CareConnectButtonElement,
  react: React,
  events: {
    onCareconnectLaunch: 'careconnect-launch' as EventName<CustomEvent<CareConnectLaunchDetail>>,
    onCareconnectReady: 'careconnect-ready' as ViewerEvent,
    onCareconnectMatch: 'careconnect-match' as ViewerEvent,
    onCareconnectAccept: 'careconnect-accept' as ViewerEvent,
    onCareconnectReject: 'careconnect-reject' as ViewerEvent,
    onCareconnectClose: 'careconnect-close' as ViewerEvent,
    onCareconnectError: 'careconnect-error' as EventName<CustomEvent<CareConnectErrorDetail>>,
  },
});

export type CareConnectButtonProps = React.ComponentProps<typeof CareConnectButton>;

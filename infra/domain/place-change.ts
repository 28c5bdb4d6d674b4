/**
 * Changes of residence, work or study (PEC KR arts. 63(1)(3), 160^3(2)(3), 166(1)(3)): whether a
 * change the office has learned of was made as the client's regime requires. Pure: the dashboard
 * stores the facts (place_changes) and records a violation of `no_unapproved_move` when this says
 * the change breached the rule; the ladder then proposes what follows and the officer decides.
 *
 * The Code sets no advance period for either form, so the notice or the agreement counts when it
 * is dated on or before the day of the change (a notice handed in on the day of the move is in
 * time; one handed in the day after is not). Days are Asia/Bishkek calendar dates (term.ts).
 */
import { PLACE_CHANGE_RULES } from './legal.ts';
import type { PlaceChangeConsent, PlaceChangeKind, RegimeKind } from './types.ts';

export interface PlaceChangeFacts {
  kind: PlaceChangeKind;
  /** The day the client's written notice or request reached the office; null if none did. */
  receivedOn: string | null;
  /** The officer's decision on a request, where the regime needs agreement. */
  decision: { agreed: boolean; decidedOn: string } | null;
  /** The day the client actually changed the place; null while it is only announced or requested. */
  changedOn: string | null;
}

export type PlaceChangeBreach =
  /** 166(1)(3): changed with no written notice to the office. */
  | 'no_written_notice'
  /** 166(1)(3): the notice reached the office only after the change. */
  | 'notice_after_change'
  /** 63(1)(3), 160^3(2)(3): changed with no agreement (no request, or not decided yet). */
  | 'no_agreement'
  /** 63(1)(3), 160^3(2)(3): changed although the office refused. */
  | 'agreement_refused'
  /** 63(1)(3), 160^3(2)(3): the office agreed only after the change. */
  | 'agreement_after_change';

export type PlaceChangeStatus =
  /** Notice regimes: the notice is on file; nothing to decide. */
  | { state: 'notified'; consent: 'written_notice'; articles: readonly string[] }
  /** Agreement regimes: the request waits for an officer's decision. */
  | { state: 'awaiting_agreement'; consent: 'agreement'; articles: readonly string[] }
  | { state: 'agreed' | 'refused'; consent: 'agreement'; articles: readonly string[] }
  /** The change happened as the rule requires. */
  | { state: 'changed'; consent: PlaceChangeConsent; articles: readonly string[] }
  /** The change happened in breach of the rule: a violation of `no_unapproved_move`. */
  | { state: 'breach'; consent: PlaceChangeConsent; breach: PlaceChangeBreach; articles: readonly string[] };

/** What the regime requires before a change of place (PLACE_CHANGE_RULES). */
export function placeChangeConsent(regime: RegimeKind): PlaceChangeConsent {
  return PLACE_CHANGE_RULES[regime].consent;
}

/** Where a change stands under the client's regime, and whether it breached the rule. */
export function placeChangeStatus(regime: RegimeKind, f: PlaceChangeFacts): PlaceChangeStatus {
  const { consent, articles } = PLACE_CHANGE_RULES[regime];
  if (consent === 'written_notice') {
    if (f.changedOn === null) return { state: 'notified', consent, articles };
    if (f.receivedOn === null) return { state: 'breach', consent, breach: 'no_written_notice', articles };
    if (f.receivedOn > f.changedOn) return { state: 'breach', consent, breach: 'notice_after_change', articles };
    return { state: 'changed', consent, articles };
  }
  if (f.changedOn === null) {
    if (f.decision === null) return { state: 'awaiting_agreement', consent, articles };
    return { state: f.decision.agreed ? 'agreed' : 'refused', consent, articles };
  }
  if (f.decision === null) return { state: 'breach', consent, breach: 'no_agreement', articles };
  if (!f.decision.agreed) return { state: 'breach', consent, breach: 'agreement_refused', articles };
  if (f.decision.decidedOn > f.changedOn) return { state: 'breach', consent, breach: 'agreement_after_change', articles };
  return { state: 'changed', consent, articles };
}

const KIND_RU: Readonly<Record<PlaceChangeKind, string>> = { residence: 'место жительства', work: 'место работы', study: 'место учебы' };

/** The facts of a breach in Russian, as the violation's description and the documents state them. */
export function placeChangeBreachRu(kind: PlaceChangeKind, breach: PlaceChangeBreach, f: PlaceChangeFacts, newPlace: string): string {
  const what = `${f.changedOn} осужденный сменил ${KIND_RU[kind]} (${newPlace})`;
  switch (breach) {
    case 'no_written_notice':
      return `${what} без письменного уведомления органа пробации`;
    case 'notice_after_change':
      return `${what}; письменное уведомление поступило в орган пробации только ${f.receivedOn}, после смены`;
    case 'no_agreement':
      return f.receivedOn
        ? `${what} без согласования органа пробации: заявление от ${f.receivedOn} не было рассмотрено до смены`
        : `${what} без согласования органа пробации`;
    case 'agreement_refused':
      return `${what}, несмотря на отказ органа пробации в согласовании от ${f.decision?.decidedOn}`;
    case 'agreement_after_change':
      return `${what} до согласования органа пробации (согласовано ${f.decision?.decidedOn})`;
  }
}

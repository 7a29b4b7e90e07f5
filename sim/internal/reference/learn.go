package reference

import "math"

// learn applies the messages about brand b the customer processed today:
// an unaware customer may become aware, and only an aware one takes in
// evidence, expectation, engagement and irritation.
func (m *Market) learn(s *standing, b int) {
	if s.inbox == (inbox{}) {
		return
	}
	if !s.aware {
		if !m.notice(&s.inbox) {
			return
		}
		s.aware, s.expectation = true, m.brands[b].claim()
	}
	m.weighEvidence(s, b)
	m.expect(s, b)
	m.engage(s, b)
	m.irritate(s, b)
}

// notice draws whether today's messages make the customer aware: the
// chances of the messages add up, as in the Bass hazard p + qF.
func (m *Market) notice(x *inbox) bool {
	rc := &m.p.Recall
	peers := x.n[praise] + x.n[complaint] + x.n[shared]
	push := x.n[askedPush] + x.n[unaskedPush]
	return m.chance(float64(x.n[pulled])*rc.Content + float64(peers)*rc.Peer +
		float64(x.n[viaPartner])*rc.Partner + float64(push)*rc.Push)
}

// weight is the trust evidence one message of kind k about brand b
// carries; a partner message carries its partner's credibility instead.
func (m *Market) weight(b int, k kind) float64 {
	ev := &m.p.Evidence
	switch k {
	case pulled:
		return ev.Content * m.brands[b].Pull.Usefulness
	case praise, shared:
		return ev.Peer
	case askedPush:
		return ev.OptInPush
	case unaskedPush:
		return ev.Push
	}
	return 0
}

// weighEvidence adds the day's positive and negative trust evidence.
func (m *Market) weighEvidence(s *standing, b int) {
	for k := range kinds {
		s.pos += float64(s.inbox.n[k]) * m.weight(b, k)
	}
	for p, pt := range m.brands[b].Partners {
		s.pos += float64(s.inbox.byPartner[p]) * pt.Credibility
	}
	ev := &m.p.Evidence
	s.neg += float64(s.inbox.n[complaint]) * ev.Negativity * ev.Peer
}

// gapLeft is the share of the gap between expectation and what a message
// says that is left after one message of evidence weight w: a message is
// believed in proportion to its weight against one's own experience.
func (m *Market) gapLeft(w float64) float64 {
	credence := 1.0
	if ev := m.p.Evidence.Experience; ev > 0 {
		credence = min(1, w/ev)
	}
	return 1 - m.p.Satisfaction.Learning*credence
}

// expect moves expected quality toward what the brand claims, message by
// message of push, content and partners, then toward the true quality by
// each peer's word; a detractor's word moves trust only.
func (m *Market) expect(s *standing, b int) {
	br, x := &m.brands[b], &s.inbox
	claim := br.claim()
	for _, k := range []kind{unaskedPush, askedPush, pulled} {
		for range x.n[k] {
			s.expectation = claim + (s.expectation-claim)*m.gapLeft(m.weight(b, k))
		}
	}
	for p, pt := range br.Partners {
		for range x.byPartner[p] {
			s.expectation = claim + (s.expectation-claim)*m.gapLeft(pt.Credibility)
		}
	}
	for range x.n[praise] + x.n[shared] {
		s.expectation = br.Quality + (s.expectation-br.Quality)*m.gapLeft(m.p.Evidence.Peer)
	}
}

// engage brings the customer closer to the brand's orbit with each piece
// of its content processed, its own, shared or a partner's.
func (m *Market) engage(s *standing, b int) {
	pull := &m.brands[b].Pull
	for range s.inbox.n[pulled] + s.inbox.n[shared] + s.inbox.n[viaPartner] {
		s.engagement = 1 - (1-s.engagement)*(1-pull.Gain*pull.Usefulness)
	}
}

// irritate adds the irritation of the push processed, less what content
// soothes (never below zero); past the threshold the customer blocks the
// brand for good.
func (m *Market) irritate(s *standing, b int) {
	irr := &m.p.Irritation
	s.irritation = math.Max(0, s.irritation-float64(s.inbox.n[pulled])*m.brands[b].Pull.Soothing+
		float64(s.inbox.n[askedPush])*irr.PerPush*irr.OptInFactor+float64(s.inbox.n[unaskedPush])*irr.PerPush)
	if irr.PerPush > 0 && s.irritation >= irr.Threshold {
		s.blocked, s.optedIn = true, false
	}
}

// optIn lets an aware customer ask for the brand's push, the more likely
// the closer it orbits the brand.
func (m *Market) optIn(s *standing) {
	if s.aware && !s.optedIn && !s.blocked && s.engagement > 0 && m.chance(m.p.OptIn.Rate*s.engagement) {
		s.optedIn = true
	}
}

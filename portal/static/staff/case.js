// 案件详情: the case as the API gives it to this caller, its materials, and the actions
// its `allowed_actions` list — nothing is decided here that the API has not said.
(function () {
  const { h, label, boot, fail, flash, showError, daysLeft, dateTime, today } = window.staffUi;
  const caseId = Number(document.getElementById('case').dataset.caseId);
  const FORMS = new Set(['record_investigation', 'record_county_investigation']);
  const DANGER = new Set(['return', 'county_reject', 'terminate', 'propose_rejection', 'register_objection']);
  const REVEALERS = ['township_staff', 'county_staff'];
  let me = null;
  let current = null;

  function facts(pairs) {
    return pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
      .flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]);
  }

  function renderFacts(c) {
    document.getElementById('case-title').textContent = `${label('type', c.type)}案件 ${c.number || ''}`;
    document.title = `${c.number || '案件'} · 民政工作台`;
    document.getElementById('facts').replaceChildren(...facts([
      ['状态', h('strong', {}, label('status', c.status))],
      ['村(社区)', c.region_name],
      ['受理日期', c.accepted_on],
      ['办理期限', c.deadline ? [c.deadline, ' ', daysLeft(c.days_left)] : null],
      ['公示截止', c.publicity_ends_on],
      ['下次复核', c.rereview_due_on],
      ['提示', c.flags.length ? c.flags.map((f) => h('span', { class: 'tag bad' }, label('flag', f))) : null],
      ['代办', c.on_behalf ? '村级代办员代为申请' : null],
      ['决定理由', c.decision_reason],
      ['救济途径', c.appeal],
    ]));
  }

  function renderApplicant(c) {
    const id = h('span', { id: 'applicant-id' }, c.applicant.id_number);
    const phone = h('span', { id: 'applicant-phone' }, c.applicant.phone || '—');
    const reveal = REVEALERS.includes(me.role)
      ? h('button', { type: 'button', id: 'reveal', onclick: () => revealApplicant().catch(fail) }, '显示完整号码')
      : null;
    document.getElementById('applicant').replaceChildren(
      h('dl', { class: 'facts' }, ...facts([
        ['申请人', c.applicant.name], ['身份证号', id], ['联系电话', phone],
      ])),
      reveal,
      h('p', { class: 'hint', id: 'reveal-note' }, reveal ? '查看完整号码将记入审计日志。' : ''),
    );
    if (!c.household) return;
    const rows = c.household.members.map((m) => h('tr', {},
      h('td', {}, m.name), h('td', {}, label('relation', m.relation)), h('td', {}, m.id_number),
      h('td', {}, m.monthly_income), h('td', {}, m.able_to_work ? '有' : '无'), h('td', {}, m.disabled ? '是' : '否')));
    document.getElementById('household').replaceChildren(
      h('h3', {}, `家庭成员(${label('area', c.household.area_type)},${c.household.members.length} 人)`),
      h('table', {},
        h('thead', {}, h('tr', {}, ['姓名', '关系', '身份证号', '月收入(元)', '劳动能力', '残疾'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)),
    );
  }

  async function revealApplicant() {
    const full = await window.staffApi.get(`/applications/${caseId}/applicant`);
    document.getElementById('applicant-id').textContent = full.id_number;
    document.getElementById('applicant-phone').textContent = full.phone || '—';
    document.getElementById('reveal').remove();
    document.getElementById('reveal-note').textContent = '已显示完整号码,本次查看已记入审计日志。';
  }

  // How the amount comes about, by the county's own rule (POST /dibao/estimate) on the
  // household as recorded: standard × members − the household's income.
  async function renderAmount(c) {
    const box = document.getElementById('amount');
    if (!c.household) {
      box.replaceChildren(h('p', {}, c.monthly_amount ? `月发放 ${c.monthly_amount} 元` : '尚未核定'));
      return;
    }
    const estimate = await window.staffApi.post('/dibao/estimate', {
      area_type: c.household.area_type,
      region_code: c.region_code,
      members: c.household.members.map((m) => ({ monthly_income: m.monthly_income })),
    });
    const total = c.household.members.reduce((sum, m) => sum + Number(m.monthly_income), 0).toFixed(2);
    box.replaceChildren(h('dl', { class: 'facts' }, ...facts([
      ['核定月保障金', c.monthly_amount ? h('strong', {}, `${c.monthly_amount} 元`) : '尚未核定(县级确认时计算)'],
      ['起始月份', c.start_month],
      ['家庭月收入合计', `${total} 元`],
      ['家庭月人均收入', `${estimate.per_capita_income} 元`],
      ['当地保障标准', `${estimate.standard_monthly} 元/人·月(${label('area', c.household.area_type)})`],
      ['按今日标准测算', `${estimate.standard_monthly} × ${estimate.member_count} 人 − ${total} = ${estimate.monthly_amount} 元/月`],
      ['结论', estimate.eligible ? '人均收入低于标准' : '人均收入不低于标准,不符合条件'],
    ])));
  }

  function renderMaterials(c) {
    const list = c.attachments;
    const thumbs = list.map((m, n) => h('li', {}, h('button', {
      type: 'button', class: 'thumb', onclick: () => window.staffViewer.open(list, n, () => {}),
    },
    m.variants.includes('thumb')
      ? h('img', { src: `/api/v1/attachments/${m.id}/content?variant=thumb`, alt: '' })
      : h('span', { class: 'placeholder' }, m.status === 'rejected' ? '未通过检查' : '处理中'),
    h('span', {}, m.kind_label), h('br'),
    h('span', { class: 'tag ' + ({ accepted: 'good', needs_reupload: 'bad' }[m.review_status] || 'warn') },
      label('review', m.review_status)),
    m.duplicate_of_application ? h('span', { class: 'tag bad' }, `与 ${m.duplicate_of_application} 重复`) : null)));
    document.getElementById('thumbs').replaceChildren(...(thumbs.length ? thumbs : [h('li', { class: 'muted' }, '尚无材料')]));
    const missing = c.missing_materials || [];
    document.getElementById('missing').replaceChildren(missing.length
      ? h('p', { class: 'soon' }, '尚缺:', missing.map((m) => `${m.label}(${m.state_label})`).join('、'))
      : h('p', { class: 'muted' }, '必需材料已齐全并审核通过。'));
  }

  function renderInvestigation(c) {
    const record = c.investigation;
    document.getElementById('investigation-record').replaceChildren(record
      ? h('dl', { class: 'facts' }, ...facts([
        ['调查人员', record.investigators.join('、')], ['调查日期', record.visited_on], ['调查情况', record.findings],
      ]))
      : h('p', { class: 'muted' }, '尚未登记入户调查。'));
    const action = c.allowed_actions.find((a) => FORMS.has(a));
    const form = document.getElementById('investigation');
    form.hidden = !action;
    form.dataset.action = action || '';
    if (action && !form.visited_on.value) {
      form.visited_on.value = today();
      form.visited_on.max = today();
      addInvestigator();
      addInvestigator();
    }
  }

  function addInvestigator() {
    const box = document.getElementById('investigators');
    const n = box.children.length + 1;
    box.append(h('label', {}, `调查人员 ${n} `, h('input', { name: 'investigators', maxlength: 30 })));
  }

  function extraFields(action) {
    if (action === 'gradual_exit') {
      return h('label', {}, '渐退月数 ', h('input', { type: 'number', name: 'months', min: 1, max: 12, value: 3 }));
    }
    if (action === 'adjust') {
      return h('fieldset', { class: 'plain' }, h('legend', {}, '调整后的成员月收入(元)'),
        current.household.members.map((m, n) => h('label', {}, `${m.name} `, h('input', {
          name: `data.members.${n}.monthly_income`, dataset: { member: m.id }, value: m.monthly_income, inputmode: 'decimal',
        }))));
    }
    return null;
  }

  function actionData(action) {
    const form = document.getElementById('action-form');
    if (action === 'gradual_exit') return { months: Number(form.months.value) };
    if (action === 'adjust') {
      return {
        members: [...form.querySelectorAll('[data-member]')].map((input) => ({
          member_id: Number(input.dataset.member), monthly_income: input.value.trim(),
        })),
      };
    }
    return undefined;
  }

  function renderActions(c) {
    const actions = c.allowed_actions.filter((a) => !FORMS.has(a));
    document.getElementById('action-extra').replaceChildren(...actions.map(extraFields).filter(Boolean));
    document.getElementById('action-buttons').replaceChildren(...actions.map((action) => h('button', {
      type: 'button', class: DANGER.has(action) ? 'danger' : 'primary', dataset: { action },
      onclick: () => act(action).catch(fail),
    }, label('action', action))));
    document.getElementById('no-actions').hidden = c.allowed_actions.length > 0;
  }

  async function act(action, data, form) {
    const comment = document.getElementById('action-form').comment.value.trim();
    const body = { action, version: current.version, comment };
    const extra = data === undefined ? actionData(action) : data;
    if (extra !== undefined) body.data = extra;
    try {
      const answer = await window.staffApi.post(`/applications/${caseId}/actions`, body);
      document.getElementById('action-form').reset();
      await render(answer);
      flash(`已${label('action', action)},当前状态:${label('status', answer.status)}`, 'ok');
    } catch (error) {
      if (error.code === 'cancelled') return;
      showError(error, form || document.getElementById('action-form'));
      if (error.code === 'stale_version') await reload();
    }
  }

  function renderTimeline(c) {
    document.getElementById('timeline').replaceChildren(...c.timeline.map((event) => h('li', {},
      h('strong', {}, label('action', event.action)), ' → ', label('status', event.to_status), h('br'),
      h('span', { class: 'muted' }, `${label('role', event.actor_role)} · ${dateTime(event.at)}`),
      event.comment ? h('div', {}, `意见:${event.comment}`) : null)));
  }

  async function renderChanges() {
    const page = await window.staffApi.get(`/applications/${caseId}/changes?limit=20`);
    document.getElementById('changes').replaceChildren(page.items.length
      ? h('ul', {}, page.items.map((change) => h('li', {},
        `${change.happened_on} ${change.kind_label}:${change.description}`)))
      : h('p', { class: 'muted' }, '无报告。'));
  }

  async function render(c) {
    current = c;
    renderFacts(c);
    renderApplicant(c);
    renderMaterials(c);
    renderInvestigation(c);
    renderActions(c);
    renderTimeline(c);
    document.getElementById('case').hidden = false;
    await Promise.all([renderAmount(c), renderChanges()]);
  }

  async function reload() {
    await render(await window.staffApi.get(`/applications/${caseId}`));
  }

  document.getElementById('add-investigator').addEventListener('click', addInvestigator);
  document.getElementById('investigation').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const data = {
      investigators: [...form.querySelectorAll('[name=investigators]')].map((i) => i.value.trim()).filter(Boolean),
      visited_on: form.visited_on.value,
      findings: form.findings.value.trim(),
    };
    act(form.dataset.action, data, form).catch(fail);
  });
  window.staffViewer.onClose(() => reload().catch(fail));

  boot(['township_staff', 'county_staff'])
    .then((account) => { me = account; return reload(); })
    .catch(fail);
})();

// 今日待办: what needs this person today, each part one filtered read of the queue.
(function () {
  const { h, boot, fail, flash } = window.staffUi;

  const TOWNSHIP = [
    ['已逾期', { overdue: 'true' }],
    ['按办理期限', {}],
    ['待受理', { status: 'submitted' }],
    ['待入户调查', { status: 'accepted' }],
    ['待乡镇审核(含材料待核)', { status: 'investigated' }],
    ['公示中(可登记异议)', { status: 'publicizing' }],
    ['复核中', { status: 'under_rereview' }],
  ];
  const COUNTY = [
    ['已逾期', { overdue: 'true' }],
    ['待县级确认', { status: 'pending_confirmation' }],
    ['公示中(可登记异议)', { status: 'publicizing' }],
    ['待乡镇审核', { status: 'investigated' }],
    ['复核中', { status: 'under_rereview' }],
  ];
  const SHOWN = 5;

  async function section(title, filters) {
    const query = new URLSearchParams(Object.assign({ limit: SHOWN + 1 }, filters));
    const page = await window.staffApi.get('/applications?' + query);
    const more = page.items.length > SHOWN;
    const all = new URLSearchParams(filters);
    const id = 'sec-' + Math.random().toString(36).slice(2, 8);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': id },
      h('h2', { id }, title, more ? ` (${SHOWN}+)` : ` (${page.items.length})`),
      page.items.length
        ? [window.staffCases.caseTable(page.items.slice(0, SHOWN)),
          h('p', {}, h('a', { href: '/staff/queue?' + all }, `在队列中查看全部「${title}」`))]
        : h('p', { class: 'muted' }, '暂无案件'),
    );
  }

  // Those whose work is elsewhere (the registry office, the calendar) are sent there.
  const ELSEWHERE = { registrar: '/staff/registry', admin: '/staff/calendar' };

  boot()
    .then(async (me) => {
      if (ELSEWHERE[me.role]) {
        location.replace(ELSEWHERE[me.role]);
        return;
      }
      if (!['township_staff', 'county_staff'].includes(me.role)) {
        flash('您的账号无权使用此页面', 'error');
        return;
      }
      const parts = me.role === 'county_staff' ? COUNTY : TOWNSHIP;
      const sections = await Promise.all(parts.map(([title, filters]) => section(title, filters)));
      document.getElementById('today').replaceChildren(...sections);
    })
    .catch(fail);
})();

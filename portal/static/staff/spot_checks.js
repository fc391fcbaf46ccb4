// 抽查: draw a township's sample with a recorded seed, then record each visit's result.
(function () {
  const { h, boot, fail, flash, table, onSubmit, formData, regionOptions, dateTime } = window.staffUi;
  const RESULTS = { confirmed: '情况属实', discrepancy: '情况不符(转复核)' };

  function resultForm(check, item) {
    if (item.result) return `${RESULTS[item.result]}${item.note ? ':' + item.note : ''}(${dateTime(item.checked_at)})`;
    const form = h('form', { class: 'inline' },
      h('label', {}, '结果 ', h('select', { name: 'result' },
        Object.entries(RESULTS).map(([value, text]) => h('option', { value }, text)))),
      h('label', {}, '说明 ', h('input', { name: 'note', maxlength: 500 })),
      h('button', { type: 'submit' }, '登记'));
    onSubmit(form, async () => {
      const answer = await window.staffApi.post(
        `/spot-checks/${check.id}/cases/${item.application_id}/result`, formData(form));
      flash('已登记抽查结果', 'ok');
      show(answer);
    });
    return form;
  }

  function show(check) {
    history.replaceState(null, '', `/staff/spot-checks?id=${check.id}`);
    document.getElementById('check').hidden = false;
    document.getElementById('check-title').textContent = `抽查 #${check.id}`;
    document.getElementById('check-facts').replaceChildren(
      ...[['乡镇', check.township], ['比例', check.ratio], ['随机种子', check.seed],
        ['在保户数', check.population], ['抽中户数', check.cases.length], ['抽取时间', dateTime(check.created_at)]]
        .flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]));
    document.getElementById('check-cases').replaceChildren(table(['案件', '结果'],
      check.cases.map((item) => [h('a', { href: `/staff/cases/${item.application_id}` }, `案件 #${item.application_id}`),
        resultForm(check, item)]), '未抽中任何家庭'));
  }

  onSubmit(document.getElementById('draw-form'), async (form) => {
    const body = formData(form);
    if (!body.seed) delete body.seed;
    show(await window.staffApi.post('/spot-checks', body));
    flash('已抽取,随机种子已记录', 'ok');
  });
  onSubmit(document.getElementById('open-form'), async (form) => {
    show(await window.staffApi.get(`/spot-checks/${encodeURIComponent(form.id.value.trim())}`));
  });

  boot(['county_staff'])
    .then(async (me) => {
      await regionOptions(document.getElementById('draw-form').township, me.region.code);
      const id = new URLSearchParams(location.search).get('id');
      if (id) show(await window.staffApi.get(`/spot-checks/${encodeURIComponent(id)}`));
    })
    .catch(fail);
})();

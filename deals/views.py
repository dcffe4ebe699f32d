from django.shortcuts import get_object_or_404, render

from deals.models import Company, Deal


def company_detail(request, slug):
    company = get_object_or_404(Company, slug=slug)
    return render(request, "deals/company_detail.html", {"company": company})


def deal_detail(request, slug):
    deal = get_object_or_404(Deal.objects.published().with_parties(), slug=slug)
    return render(request, "deals/deal_detail.html", {"deal": deal})
